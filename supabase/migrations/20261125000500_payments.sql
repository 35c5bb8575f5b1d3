-- public.payments: one row per checkout session, pending -> paid -> refunded / failed.
-- Written only by the service-role payment functions; users read their own.
--
-- Payment processing: turns checkouts and the payment provider's webhook events into payments
-- and ledger rows. Every event is applied once (billing.processed_events), every session credits
-- once (the payment row lock plus the ledger's idempotency key), and refunds work in any order
-- relative to their completion. Called only by the Edge Functions, with the service role.
--
-- Refund before completion (Stripe does not promise delivery order): a refund whose payment is
-- not known yet is kept in billing.early_refunds, keyed by the payment intent (or session id);
-- when the completion lands, the purchase is credited and the early refund is reversed right
-- away in the same transaction. The ledger therefore shows both the purchase and its reversal.
-- A completion that does not name the intent yet leaves refunds kept under it waiting; they are
-- applied as soon as any later event (e.g. async_payment_succeeded) makes the intent known.

/**
  * Section - Payments table
 */

create table public.payments (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  user_id uuid not null references public.users (id),
  -- The team whose wallet the credits go to; null = the buyer's personal wallet.
  team_id uuid references public.teams (id),
  wallet_id uuid not null generated always as (coalesce(team_id, user_id)) stored,
  plan_id text not null references public.plans (id),
  provider text not null check (provider in ('stripe', 'local')),
  provider_session_id text not null unique check (pg_catalog.char_length(provider_session_id) between 1 and 500),
  provider_payment_intent text unique check (provider_payment_intent is null or pg_catalog.char_length(provider_payment_intent) between 1 and 500),
  credits integer not null check (credits > 0),
  credits_expire_after interval check (credits_expire_after is null or credits_expire_after > interval '0' and credits_expire_after <= interval '100 years'),
  amount_cents integer not null check (amount_cents > 0),
  currency text not null check (currency ~ '^[a-z]{3}$'),
  status text not null default 'pending' check (status in ('pending', 'paid', 'refunded', 'partially_refunded', 'failed')),
  amount_refunded_cents integer not null default 0 check (amount_refunded_cents >= 0),
  credits_reversed integer not null default 0 check (credits_reversed >= 0),
  credits_unrecovered integer not null default 0 check (credits_unrecovered >= 0),
  failure_reason text check (failure_reason is null or pg_catalog.char_length(failure_reason) <= 1000),
  created_at timestamptz not null default pg_catalog.now(),
  updated_at timestamptz not null default pg_catalog.now(),
  paid_at timestamptz,
  constraint payments_refund_within_amount check (amount_refunded_cents <= amount_cents),
  constraint payments_reversal_within_credits check (credits_reversed + credits_unrecovered <= credits)
);

comment on table public.payments is
  'One checkout (a purchase of a plan): pending when the checkout starts, paid when the provider confirms, then refunded/partially_refunded, or failed. Written only by the payment functions (service role).';
comment on column public.payments.id is 'Payment id.';
comment on column public.payments.user_id is 'The buyer (public.users.id).';
comment on column public.payments.team_id is 'The team the buyer (an owner or admin) bought the credits for; null = the buyer''s personal workspace (also when the team was deleted before the payment was confirmed: the credits then go to the buyer).';
comment on column public.payments.wallet_id is 'The wallet the credits go to (team_id, or user_id for a personal purchase; generated).';
comment on column public.payments.plan_id is 'The plan bought (public.plans.id).';
comment on column public.payments.provider is 'Payment provider: stripe, or local (the development checkout without a Stripe account).';
comment on column public.payments.provider_session_id is 'Checkout session id at the provider (Stripe cs_...; local cs_local_...). Unique.';
comment on column public.payments.provider_payment_intent is 'Payment intent id at the provider (Stripe pi_...), known once paid; refunds are matched by it.';
comment on column public.payments.credits is 'Credits this payment grants, copied from the plan when the checkout started.';
comment on column public.payments.credits_expire_after is 'How long the credits last once paid (their lot expires at paid_at + this; null = never), copied from the plan when the checkout started.';
comment on column public.payments.amount_cents is 'Amount charged in minor units, copied from the plan when the checkout started.';
comment on column public.payments.currency is 'ISO 4217 currency code, lower case.';
comment on column public.payments.status is 'pending, paid, refunded, partially_refunded or failed.';
comment on column public.payments.amount_refunded_cents is 'Total refunded so far by the provider, in minor units.';
comment on column public.payments.credits_reversed is 'Credits taken back from the balance because of refunds.';
comment on column public.payments.credits_unrecovered is 'Credits a refund should have taken back but that its lot no longer had: spent (stay unrecovered), expired (gone, nothing to take), or held by scheduled interviews (taken as soon as a cancel returns them to the lot; this then shrinks). See credit_lots for which.';
comment on column public.payments.failure_reason is 'Why the payment failed (e.g. amount mismatch), for support.';
comment on column public.payments.created_at is 'When the checkout started.';
comment on column public.payments.updated_at is 'When the row last changed.';
comment on column public.payments.paid_at is 'When the provider confirmed the payment.';

create index payments_user_id_created_at_idx on public.payments (user_id, created_at desc);
create index payments_plan_id_idx on public.payments (plan_id);
create index payments_team_id_created_at_idx on public.payments (team_id, created_at desc) where team_id is not null;

create trigger payments_touch_updated_at
  before update on public.payments
  for each row execute function billing.touch_updated_at();

alter table public.payments enable row level security;

-- Personal purchases by their buyer; a team's purchases by its owners and admins (who buy them).
create policy "Users can read their own payments"
  on public.payments for select
  to authenticated
  using ((user_id = (select auth.uid()) and team_id is null)
         or team_id in (select team_access.my_admin_team_ids()));

revoke all on table public.payments from public, anon, authenticated, service_role;
grant select on table public.payments to authenticated, service_role;

alter table public.credit_ledger
  add constraint credit_ledger_payment_id_fkey foreign key (payment_id) references public.payments (id);
-- Partial: most ledger rows name no payment, and `payment_id = $1` (the foreign key's check,
-- lookups) implies not null, so the planner still uses it.
create index credit_ledger_payment_id_idx on public.credit_ledger (payment_id) where payment_id is not null;
alter table public.credit_lots
  add constraint credit_lots_payment_id_fkey foreign key (payment_id) references public.payments (id);

/**
  * Section - Webhook bookkeeping
  * Private schema billing, not exposed by the API.
 */

create table billing.processed_events (
  event_id text primary key check (pg_catalog.char_length(event_id) between 1 and 255),
  event_type text not null check (pg_catalog.char_length(event_type) between 1 and 100),
  payment_id uuid references public.payments (id),
  outcome jsonb not null,
  processed_at timestamptz not null default pg_catalog.now()
);

comment on table billing.processed_events is
  'Webhook events already applied, one row per provider event id. A replayed event finds its row and returns the stored outcome without changing anything.';
comment on column billing.processed_events.event_id is 'The provider''s event id (Stripe evt_...).';
comment on column billing.processed_events.event_type is 'The event type as handled, e.g. checkout.session.completed or charge.refunded.';
comment on column billing.processed_events.payment_id is 'The payment the event settled or refunded; null when none was found (e.g. a refund that arrived first).';
comment on column billing.processed_events.outcome is 'The JSON result returned when the event was applied; returned again (with replayed = true) on every replay.';
comment on column billing.processed_events.processed_at is 'When the event was applied.';

create index processed_events_payment_id_idx on billing.processed_events (payment_id);

alter table billing.processed_events enable row level security;
revoke all on table billing.processed_events from public, anon, authenticated, service_role;

-- Once per event: each payment function claims the provider's event id before it changes
-- anything, and stores its outcome before it returns. Not billing.idempotency_begin/finish: those
-- key a user's call by (user, namespace, key) and refuse other arguments with PT409; an event id
-- is the provider's, names one event whatever it carries, and records the payment it touched.
create or replace function billing.event_begin(p_event_id text, p_event_type text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_stored jsonb;
begin
  -- A concurrent delivery of the same event waits here on the primary key until the first
  -- commits, then finds the row and replays its outcome (20 replays credit once); if the first
  -- rolled back, this one claims the event instead.
  insert into billing.processed_events (event_id, event_type, outcome)
  values (p_event_id, p_event_type, '{}'::jsonb)
  on conflict on constraint processed_events_pkey do nothing;
  if found then
    return null;
  end if;
  select e.outcome into strict v_stored from billing.processed_events e where e.event_id = p_event_id;
  return v_stored || '{"replayed": true}'::jsonb;
end;
$$;
comment on function billing.event_begin(text, text) is
  'Claims a provider event id in billing.processed_events: returns null when the caller should apply the event (first delivery), or the stored outcome with replayed = true (the event was already applied or rejected; a concurrent delivery waits for the first to commit). Pair with billing.event_finish() in the same transaction.';
revoke execute on function billing.event_begin(text, text) from public, anon, authenticated, service_role;

create or replace function billing.event_finish(p_event_id text, p_outcome jsonb, p_payment_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  update billing.processed_events e
     set outcome = p_outcome, payment_id = p_payment_id
   where e.event_id = p_event_id;
  return p_outcome || '{"replayed": false}'::jsonb;
end;
$$;
comment on function billing.event_finish(text, jsonb, uuid) is
  'Stores the outcome (and the payment touched, if any) of an event claimed with billing.event_begin(); returns the outcome with replayed = false.';
revoke execute on function billing.event_finish(text, jsonb, uuid) from public, anon, authenticated, service_role;

create table billing.early_refunds (
  id bigint generated always as identity primary key,
  payment_ref text not null check (pg_catalog.char_length(payment_ref) between 1 and 500),
  amount_refunded_cents integer not null check (amount_refunded_cents > 0),
  currency text check (currency is null or currency ~ '^[a-z]{3}$'),
  last_event_id text not null,
  payment_id uuid references public.payments (id),
  received_at timestamptz not null default pg_catalog.now(),
  applied_at timestamptz,
  constraint early_refunds_applied_with_payment check ((applied_at is null) = (payment_id is null)),
  -- One row per payment reference AND currency: amounts are cumulative only within one currency, so
  -- a refund in another currency (misrouted or forged upstream) must never raise, lower or relabel
  -- the amount kept for the real one; it stays parked, unapplied, for support to see.
  constraint early_refunds_ref_currency_key unique nulls not distinct (payment_ref, currency)
);

comment on table billing.early_refunds is
  'Refunds that arrived before the payment they refund was known (out-of-order webhooks), one row per payment reference and currency. Applied, and marked applied, when the payment''s completion lands; rows in another currency than the payment''s are never applied and stay for support.';
comment on column billing.early_refunds.id is 'Row id.';
comment on column billing.early_refunds.payment_ref is 'The provider payment intent (pi_...) or session id named by the refund.';
comment on column billing.early_refunds.amount_refunded_cents is 'Highest cumulative refunded amount seen for it in this currency, in minor units.';
comment on column billing.early_refunds.currency is 'Currency of the refund, if the provider said; a refund in another currency than its payment is never applied.';
comment on column billing.early_refunds.last_event_id is 'The refund event that last raised the amount.';
comment on column billing.early_refunds.payment_id is 'The payment it was applied to; null while waiting.';
comment on column billing.early_refunds.received_at is 'When the first refund event for it arrived.';
comment on column billing.early_refunds.applied_at is 'When it was applied to its payment; null while waiting.';

create index early_refunds_payment_id_idx on billing.early_refunds (payment_id);

alter table billing.early_refunds enable row level security;
revoke all on table billing.early_refunds from public, anon, authenticated, service_role;

/**
  * Section - Internal helpers
 */

create or replace function billing.payment_ref_lock(p_ref text)
returns void
language sql
security definer
set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('payment_ref:' || p_ref, 0));
$$;
comment on function billing.payment_ref_lock(text) is
  'Serialises a completion and a refund naming the same payment intent (transaction-scoped advisory lock), so a refund can never slip between "payment not found" and the completion that would have found its early refund.';
revoke execute on function billing.payment_ref_lock(text) from public, anon, authenticated, service_role;

create or replace function billing.payment_ledger_change(
  p_payment public.payments,
  p_delta integer,
  p_kind text,
  p_reason text,
  p_actor text,
  p_idempotency_key text,
  p_interview_id uuid default null,
  p_lot_id bigint default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- The one place payments touch balances: through the credit core, so the ledger invariant
  -- (users.credits = sum(delta), balance_after = running sum) holds for payments too.
  return billing.apply_credit_change(
    p_user_id => p_payment.wallet_id,
    p_delta => p_delta,
    p_kind => p_kind,
    p_reason => p_reason,
    p_reference => 'payment:' || p_payment.id::text,
    p_actor => p_actor,
    p_idempotency_key => p_idempotency_key,
    p_payment_id => p_payment.id,
    p_interview_id => p_interview_id,
    -- A purchase is a lot that lasts as long as the plan said; a reversal takes from that lot.
    p_expires_at => case when p_kind = 'purchase' then p_payment.paid_at + p_payment.credits_expire_after end,
    p_lot_id => p_lot_id
  );
end;
$$;
comment on function billing.payment_ledger_change(public.payments, integer, text, text, text, text, uuid, bigint) is
  'Writes one ledger row for a payment through billing.apply_credit_change, with reference payment:<id> and payment_id set: a purchase makes the payment''s lot (expiring at paid_at + credits_expire_after, or never); a reversal takes from that lot (p_lot_id), with interview_id when an interview''s returned credits caused it (billing.repay_refund_debt). Returns the credit core''s result ({balance, reserved, ledger_id, ...}).';
revoke execute on function billing.payment_ledger_change(public.payments, integer, text, text, text, text, uuid, bigint) from public, anon, authenticated, service_role;

create or replace function billing.reconcile_refund(p_payment_id uuid, p_actor text)
returns public.payments
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payment public.payments;
  v_target integer;
  v_owed integer;
  v_lot public.credit_lots;
  v_take integer;
begin
  select * into strict v_payment from public.payments where id = p_payment_id for update;
  if v_payment.status not in ('paid', 'partially_refunded', 'refunded') or v_payment.amount_refunded_cents = 0 then
    return v_payment;
  end if;
  -- Credits follow the refunded share of the price, rounded down (a partial refund never takes
  -- back more than was paid back); a full refund takes back every credit.
  v_target := case
    when v_payment.amount_refunded_cents >= v_payment.amount_cents then v_payment.credits
    else (v_payment.credits::bigint * v_payment.amount_refunded_cents / v_payment.amount_cents)::integer
  end;
  v_owed := v_target - v_payment.credits_reversed - v_payment.credits_unrecovered;
  if v_owed > 0 then
    -- The refund voids the payment's own lot: it takes back what that lot still has. Its credits
    -- already spent stay spent, and those held by scheduled interviews are taken when they come
    -- back (billing.repay_refund_debt): both are recorded as unrecovered until then.
    perform billing.lock_wallet(v_payment.wallet_id);
    select * into v_lot from public.credit_lots l where l.payment_id = v_payment.id;
    v_take := least(v_owed, coalesce(v_lot.remaining, 0));
    if v_take > 0 then
      perform billing.payment_ledger_change(
        v_payment, -v_take, 'reversal',
        pg_catalog.format('Refund of payment %s (%s of %s %s refunded)', v_payment.id,
                          v_payment.amount_refunded_cents, v_payment.amount_cents, v_payment.currency),
        p_actor,
        pg_catalog.format('payment:%s:reversal:%s', v_payment.id, v_payment.amount_refunded_cents),
        null, v_lot.id);
    end if;
    update public.payments
       set credits_reversed = credits_reversed + v_take,
           credits_unrecovered = credits_unrecovered + (v_owed - v_take)
     where id = v_payment.id;
  end if;
  update public.payments
     set status = case when amount_refunded_cents >= amount_cents then 'refunded' else 'partially_refunded' end
   where id = v_payment.id
  returning * into strict v_payment;
  return v_payment;
end;
$$;
comment on function billing.reconcile_refund(uuid, text) is
  'Brings a paid payment''s reversed credits up to its refunded share: target = credits * amount_refunded / amount (floor; all credits when fully refunded). Takes back what the payment''s own lot still has (kind reversal; the lot''s voided part) and records the rest in credits_unrecovered: credits of that lot held by scheduled interviews repay it when they come back (billing.repay_refund_debt); spent ones stay spent. Credits of other lots are never taken. Idempotent: running it again changes nothing.';
revoke execute on function billing.reconcile_refund(uuid, text) from public, anon, authenticated, service_role;

-- Refunded money must never stay spendable. A refund takes back what its payment's lot still has;
-- credits of that lot held by scheduled interviews are owed (credits_unrecovered) and are taken as
-- soon as a release brings them back to the lot: this runs right after every release, for the lots
-- the release returned credits to. New purchases and grants are other lots and are never taken.
--
-- Lock order: the wallet (public.users row), then payments. The caller has just written the
-- release row, so it holds the wallet lock; refund_payment and complete_checkout take the wallet
-- before the payment too, so no debt can appear or be repaid twice while this runs.
create or replace function billing.repay_refund_debt(
  p_user_id uuid,
  p_release_ledger_id bigint,
  p_actor text,
  p_interview_id uuid
)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row record;
  v_take integer;
  v_taken integer := 0;
begin
  for v_row in
    select p as payment, e.lot_id, e.remaining_delta as returned
      from public.credit_lot_entries e
      join public.credit_lots l on l.id = e.lot_id
      join public.payments p on p.id = l.payment_id
     where e.ledger_id = p_release_ledger_id and e.user_id = p_user_id and e.remaining_delta > 0
       and p.credits_unrecovered > 0
     order by e.lot_id
       for update of p
  loop
    v_take := least(v_row.returned, (v_row.payment).credits_unrecovered);
    perform billing.payment_ledger_change(
      v_row.payment, -v_take, 'reversal',
      pg_catalog.format('Credits back from a cancelled interview repay refunded payment %s', (v_row.payment).id),
      p_actor, null, p_interview_id, v_row.lot_id);
    update public.payments p
       set credits_reversed = p.credits_reversed + v_take,
           credits_unrecovered = p.credits_unrecovered - v_take
     where p.id = (v_row.payment).id;
    v_taken := v_taken + v_take;
  end loop;
  return v_taken;
end;
$$;
comment on function billing.repay_refund_debt(uuid, bigint, text, uuid) is
  'After a release (p_release_ledger_id) returned credits to lots: for each of those lots whose payment was refunded and still has credits_unrecovered, takes the returned credits back from the lot (one reversal row naming the payment and p_interview_id); credits_reversed grows and credits_unrecovered shrinks by the same amount. Returns how many credits were taken (0 when no debt is open). The caller holds the user''s row lock.';
revoke execute on function billing.repay_refund_debt(uuid, bigint, text, uuid) from public, anon, authenticated, service_role;

create or replace function billing.apply_early_refunds(p_payment_id uuid, p_actor text)
returns public.payments
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payment public.payments;
  v_amount integer;
begin
  select * into strict v_payment from public.payments p where p.id = p_payment_id for update;
  -- Refunds may have been kept under the intent and under the session id (two events naming the
  -- payment differently); amounts are cumulative, so the highest one is the refunded total.
  select pg_catalog.max(r.amount_refunded_cents) into v_amount
    from billing.early_refunds r
   where r.payment_ref in (v_payment.provider_payment_intent, v_payment.provider_session_id)
     and r.applied_at is null
     and (r.currency is null or r.currency = v_payment.currency);
  if v_amount is not null then
    update public.payments p
       set amount_refunded_cents = greatest(p.amount_refunded_cents, least(v_amount, p.amount_cents))
     where p.id = v_payment.id;
    update billing.early_refunds r
       set applied_at = pg_catalog.now(), payment_id = v_payment.id
     where r.payment_ref in (v_payment.provider_payment_intent, v_payment.provider_session_id)
       and r.applied_at is null
       and (r.currency is null or r.currency = v_payment.currency);
  end if;
  return billing.reconcile_refund(v_payment.id, p_actor);
end;
$$;
comment on function billing.apply_early_refunds(uuid, text) is
  'Applies the refunds kept in billing.early_refunds under the payment''s intent or session id (same currency only) and reconciles its reversals. Call it whenever a payment becomes paid or its intent becomes known; idempotent.';
revoke execute on function billing.apply_early_refunds(uuid, text) from public, anon, authenticated, service_role;

create or replace function billing.payment_summary(p_payment public.payments)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'payment_id', p_payment.id,
    'status', p_payment.status,
    'user_id', p_payment.user_id,
    'team_id', p_payment.team_id,
    'plan_id', p_payment.plan_id,
    'credits', p_payment.credits,
    'amount_cents', p_payment.amount_cents,
    'currency', p_payment.currency,
    'amount_refunded_cents', p_payment.amount_refunded_cents,
    'credits_reversed', p_payment.credits_reversed,
    'credits_unrecovered', p_payment.credits_unrecovered,
    'failure_reason', p_payment.failure_reason
  );
$$;
comment on function billing.payment_summary(public.payments) is
  'The fields of a payment the payment functions return to their caller.';
revoke execute on function billing.payment_summary(public.payments) from public, anon, authenticated, service_role;

/**
  * Section - Public functions
  * Each of these functions exists in the public name space because the Edge Functions call them (service role only).
 */

-- ---------------------------------------------------------------------------------------------
-- record_checkout: a checkout session was created; remember it as a pending payment
-- ---------------------------------------------------------------------------------------------

create or replace function public.record_checkout(
  user_id uuid,
  plan_id text,
  provider text,
  provider_session_id text,
  team_id uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_plan public.plans;
  v_payment public.payments;
begin
  perform billing.require_service_role();
  if provider is null or provider not in ('stripe', 'local') then
    perform billing.raise_invalid_argument('provider', 'provider must be stripe or local.');
  end if;
  perform billing.check_text('provider_session_id', provider_session_id, true, billing.max_provider_ref_length());
  if user_id is null or not exists (select 1 from public.users u where u.id = record_checkout.user_id) then
    perform billing.raise_unknown('user', 'The buyer must be a signed-up recruiter.');
  end if;
  select * into v_plan from public.plans p where p.id = record_checkout.plan_id and p.active;
  if not found then
    perform billing.raise_unknown('plan', 'Choose one of the active plans.');
  end if;
  -- Owners and admins buy credits for a team; a member (or anyone else) cannot.
  if record_checkout.team_id is not null
     and not exists (select 1 from public.team_members m
                      where m.team_id = record_checkout.team_id and m.user_id = record_checkout.user_id
                        and m.role in ('owner', 'admin')) then
    raise exception using
      errcode = '42501',
      message = 'not_team_admin',
      detail = pg_catalog.jsonb_build_object('team_id', record_checkout.team_id)::text,
      hint = 'Only an owner or admin of the team can buy credits for it.';
  end if;

  -- Price and credits come from the plan now, so a later price change does not touch this sale.
  insert into public.payments (user_id, team_id, plan_id, provider, provider_session_id, credits, credits_expire_after, amount_cents, currency)
  values (record_checkout.user_id, record_checkout.team_id, v_plan.id, record_checkout.provider, record_checkout.provider_session_id,
          v_plan.credits, v_plan.credits_expire_after, v_plan.price_cents, v_plan.currency)
  on conflict on constraint payments_provider_session_id_key do nothing
  returning * into v_payment;
  if v_payment.id is not null then
    return billing.payment_summary(v_payment) || '{"replayed": false}'::jsonb;
  end if;

  select * into strict v_payment from public.payments p where p.provider_session_id = record_checkout.provider_session_id;
  if v_payment.user_id <> record_checkout.user_id or v_payment.plan_id <> v_plan.id or v_payment.provider <> record_checkout.provider
     or v_payment.team_id is distinct from record_checkout.team_id then
    raise exception using errcode = 'PT409', message = 'provider_session_reused',
      detail = pg_catalog.jsonb_build_object('provider_session_id', provider_session_id)::text,
      hint = 'This checkout session is already recorded for another purchase.';
  end if;
  return billing.payment_summary(v_payment) || '{"replayed": true}'::jsonb;
end;
$$;
comment on function public.record_checkout(uuid, text, text, text, uuid) is
  'Service role only. Records a pending payment for a checkout session just created at the provider: credits, amount and currency are copied from the active plan. With team_id the credits go to that team''s wallet, and the buyer must be an owner or admin of it (42501 not_team_admin). Returns {payment_id, status, user_id, plan_id, credits, amount_cents, currency, ..., replayed}. Repeating it for the same session returns the same payment (replayed = true); the same session for another user/plan/provider raises PT409 provider_session_reused. Errors: 22023 unknown_plan, unknown_user, invalid_provider, invalid_provider_session_id.';
revoke execute on function public.record_checkout(uuid, text, text, text, uuid) from public, anon, authenticated;
grant execute on function public.record_checkout(uuid, text, text, text, uuid) to service_role;

-- The steps of complete_checkout, in the order it takes them. Each runs inside its transaction,
-- after the event was claimed, and returns the payment or the event's outcome.

create or replace function billing.checkout_lock_payment(p_provider_session_id text, p_payment_intent text)
returns public.payments
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payment public.payments;
begin
  -- Same locks as refund_payment takes (intent first, then session), so an early refund is
  -- either committed before this looks for it or waits until this has committed.
  if p_payment_intent is not null then
    perform billing.payment_ref_lock(p_payment_intent);
  end if;
  perform billing.payment_ref_lock(p_provider_session_id);

  -- The wallet before the payment, the order billing.repay_refund_debt relies on (a settled
  -- payment may owe credits and be reconciled below).
  perform billing.lock_wallet((select p.wallet_id from public.payments p where p.provider_session_id = p_provider_session_id));
  select * into v_payment from public.payments p
   where p.provider_session_id = p_provider_session_id
   for update;
  return v_payment;
end;
$$;
comment on function billing.checkout_lock_payment(text, text) is
  'complete_checkout, step 1: takes the advisory locks on the payment intent and the session id (as refund_payment does), then the buyer''s wallet row, then the payment row of the session, and returns that payment (all fields null when the session is unknown).';
revoke execute on function billing.checkout_lock_payment(text, text) from public, anon, authenticated, service_role;

create or replace function billing.checkout_record_from_metadata(
  p_provider_session_id text,
  p_user_id uuid,
  p_plan_id text,
  p_team_id uuid
)
returns public.payments
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_plan public.plans;
  v_payment public.payments;
begin
  -- The session was created by our checkout (its metadata names the buyer and the plan) but
  -- recording it failed or has not landed: record it now, priced from the plan as always.
  select * into v_plan from public.plans p where p.id = p_plan_id;
  -- A team named by the metadata gets the credits it was paid for, even if the buyer has left it since.
  if found and exists (select 1 from public.users u where u.id = p_user_id)
     and (p_team_id is null or exists (select 1 from public.teams t where t.id = p_team_id)) then
    perform billing.lock_wallet(coalesce(p_team_id, p_user_id));
    insert into public.payments (user_id, team_id, plan_id, provider, provider_session_id, credits, credits_expire_after, amount_cents, currency)
    values (p_user_id, p_team_id, v_plan.id,
            case when p_provider_session_id like 'cs\_local\_%' then 'local' else 'stripe' end,
            p_provider_session_id, v_plan.credits, v_plan.credits_expire_after, v_plan.price_cents, v_plan.currency)
    on conflict on constraint payments_provider_session_id_key do nothing;
    select * into v_payment from public.payments p
     where p.provider_session_id = p_provider_session_id
     for update;
  end if;
  return v_payment;
end;
$$;
comment on function billing.checkout_record_from_metadata(text, uuid, text, uuid) is
  'complete_checkout, step 2 (only for an unknown session whose metadata names a buyer and a plan): records the pending payment from the plan, as record_checkout would have, and returns it locked (all fields null when the user or plan does not exist).';
revoke execute on function billing.checkout_record_from_metadata(text, uuid, text, uuid) from public, anon, authenticated, service_role;

create or replace function billing.checkout_already_settled(
  p_payment public.payments,
  p_payment_intent text,
  p_actor text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payment public.payments := p_payment;
begin
  -- Another event already settled this session (e.g. completed and async_payment_succeeded).
  -- If that one did not name the intent, this one makes it known: refunds kept under it apply.
  if p_payment_intent is not null and v_payment.provider_payment_intent is null then
    update public.payments p
       set provider_payment_intent = p_payment_intent
     where p.id = v_payment.id;
    v_payment := billing.apply_early_refunds(v_payment.id, p_actor);
  end if;
  return billing.payment_summary(v_payment) || '{"credited": 0, "already_settled": true}'::jsonb;
end;
$$;
comment on function billing.checkout_already_settled(public.payments, text, text) is
  'complete_checkout, step 3 for a payment no longer pending: credits nothing; stores the payment intent if it was not known yet and applies the refunds kept under it. Returns the outcome (payment fields, credited 0, already_settled true).';
revoke execute on function billing.checkout_already_settled(public.payments, text, text) from public, anon, authenticated, service_role;

create or replace function billing.checkout_fail_amount_mismatch(
  p_payment public.payments,
  p_amount_total integer,
  p_currency text,
  p_payment_intent text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payment public.payments;
begin
  -- The amount is the server's (the plan's at checkout time); a different paid amount means a
  -- misconfigured price or tampering: credit nothing, keep the evidence for support.
  update public.payments p
     set status = 'failed',
         failure_reason = pg_catalog.format('amount_mismatch: paid %s %s, expected %s %s',
           coalesce(p_amount_total::text, 'null'), coalesce(pg_catalog.lower(p_currency), 'null'),
           p_payment.amount_cents, p_payment.currency),
         provider_payment_intent = coalesce(p_payment_intent, p.provider_payment_intent)
   where p.id = p_payment.id
  returning * into strict v_payment;
  return billing.payment_summary(v_payment) || '{"credited": 0}'::jsonb;
end;
$$;
comment on function billing.checkout_fail_amount_mismatch(public.payments, integer, text, text) is
  'complete_checkout, step 3 when the paid amount or currency differs from the pending payment''s: marks it failed with failure_reason amount_mismatch: paid X cur, expected Y cur, credits nothing. Returns the outcome (payment fields, credited 0).';
revoke execute on function billing.checkout_fail_amount_mismatch(public.payments, integer, text, text) from public, anon, authenticated, service_role;

create or replace function billing.checkout_credit_purchase(
  p_payment public.payments,
  p_payment_intent text,
  p_actor text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payment public.payments;
  v_plan_name text;
  v_credit jsonb;
begin
  -- A team deleted while its checkout was under way (delete_team needs an empty wallet, so it
  -- could not wait for this) takes no credits any more: nobody could spend or see them. The buyer
  -- paid, so they go to the buyer's personal wallet. Read under the team wallet's lock
  -- (checkout_lock_payment), which delete_team takes too.
  update public.payments p
     set status = 'paid',
         paid_at = pg_catalog.now(),
         provider_payment_intent = coalesce(p_payment_intent, p.provider_payment_intent),
         team_id = case when exists (select 1 from public.teams t where t.id = p.team_id and t.deleted_at is not null)
                        then null else p.team_id end
   where p.id = p_payment.id
  returning * into strict v_payment;
  -- The history row already says "Purchase" and "+N": the reason names only what was bought. A
  -- pack's name is its credit count ("5 credits"), so it reads "5-credit pack"; a tier, "Starter plan".
  select case when p.kind = 'tier' then p.name || ' plan' end into v_plan_name
    from public.plans p where p.id = v_payment.plan_id;
  v_credit := billing.payment_ledger_change(
    v_payment, v_payment.credits, 'purchase',
    coalesce(v_plan_name, pg_catalog.format('%s-credit pack', v_payment.credits)),
    p_actor,
    pg_catalog.format('payment:%s:purchase', v_payment.id));

  -- A refund that arrived first (by payment intent or session id) is applied now.
  v_payment := billing.apply_early_refunds(v_payment.id, p_actor);
  -- The balance after everything this event did (an early refund may have reversed some).
  return billing.payment_summary(v_payment)
    || pg_catalog.jsonb_build_object('credited', v_payment.credits, 'ledger_id', v_credit -> 'ledger_id',
         'balance', (select w.credits from billing.wallets w where w.id = v_payment.wallet_id));
end;
$$;
comment on function billing.checkout_credit_purchase(public.payments, text, text) is
  'complete_checkout, step 3 for a pending payment paid in full: marks it paid (storing the payment intent; a payment for a team deleted meanwhile becomes a purchase for the buyer''s personal wallet), writes the purchase ledger row (idempotency key payment:<id>:purchase), then applies any refund that arrived first. Returns the outcome (payment fields, credited, ledger_id, balance after all of it).';
revoke execute on function billing.checkout_credit_purchase(public.payments, text, text) from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- complete_checkout: the provider says a session was paid; credit it exactly once
-- ---------------------------------------------------------------------------------------------

create or replace function public.complete_checkout(
  event_id text,
  provider_session_id text,
  amount_total integer,
  currency text,
  payment_intent text default null,
  user_id uuid default null,
  plan_id text default null,
  event_type text default 'checkout.session.completed',
  team_id uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor text := billing.require_service_role();
  v_replay jsonb;
  v_payment public.payments;
  v_outcome jsonb;
begin
  perform billing.check_text('event_id', event_id, true, billing.max_event_id_length());
  perform billing.check_text('provider_session_id', provider_session_id, true, billing.max_provider_ref_length());
  if payment_intent is not null then
    perform billing.check_text('payment_intent', payment_intent, true, billing.max_provider_ref_length());
  end if;
  if event_type is null or event_type not in ('checkout.session.completed', 'checkout.session.async_payment_succeeded') then
    perform billing.raise_invalid_argument('event_type',
      'event_type must be checkout.session.completed or checkout.session.async_payment_succeeded.');
  end if;

  v_replay := billing.event_begin(complete_checkout.event_id, complete_checkout.event_type);
  if v_replay is not null then
    return v_replay;
  end if;

  v_payment := billing.checkout_lock_payment(provider_session_id, payment_intent);
  if v_payment.id is null and user_id is not null and plan_id is not null then
    v_payment := billing.checkout_record_from_metadata(provider_session_id, user_id, plan_id, complete_checkout.team_id);
  end if;

  if v_payment.id is null then
    -- Nothing to credit and retrying cannot help: recorded, answered 2xx, visible to support.
    v_outcome := pg_catalog.jsonb_build_object('payment_id', null, 'status', 'unknown_session',
      'provider_session_id', provider_session_id, 'credited', 0);
  elsif v_payment.status <> 'pending' then
    v_outcome := billing.checkout_already_settled(v_payment, payment_intent, v_actor);
  elsif amount_total is distinct from v_payment.amount_cents
        or pg_catalog.lower(currency) is distinct from v_payment.currency then
    v_outcome := billing.checkout_fail_amount_mismatch(v_payment, amount_total, currency, payment_intent);
  else
    v_outcome := billing.checkout_credit_purchase(v_payment, payment_intent, v_actor);
  end if;

  return billing.event_finish(complete_checkout.event_id, v_outcome, v_payment.id);
end;
$$;
comment on function public.complete_checkout(text, text, integer, text, text, uuid, text, text, uuid) is
  'Service role only (stripe-webhook). Settles a paid checkout session once per event and once per session: marks the payment paid and credits the plan''s credits (kind purchase, ledger idempotency key payment:<payment id>:purchase, one payment per session), then applies any refund that arrived first. A paid amount or currency different from the payment''s (copied from the plan) marks it failed with failure_reason and credits nothing. Unknown sessions are recorded (status unknown_session) unless user_id and plan_id (and team_id, for a team purchase: our checkout''s metadata) allow recording the payment now. event_type (checkout.session.completed or checkout.session.async_payment_succeeded) is recorded with the event. A settled payment learns its payment_intent from a later event, and refunds kept under that intent are applied. Returns {payment_id, status, credited, balance, ..., replayed}; a replayed event_id returns its first outcome with replayed = true.';
revoke execute on function public.complete_checkout(text, text, integer, text, text, uuid, text, text, uuid) from public, anon, authenticated;
grant execute on function public.complete_checkout(text, text, integer, text, text, uuid, text, text, uuid) to service_role;

-- ---------------------------------------------------------------------------------------------
-- refund_payment: the provider refunded (part of) a payment; take back the refunded share
-- ---------------------------------------------------------------------------------------------

create or replace function public.refund_payment(
  event_id text,
  payment_ref text,
  amount_refunded integer,
  currency text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor text := billing.require_service_role();
  v_event_type constant text := 'charge.refunded';
  v_replay jsonb;
  v_payment public.payments;
  v_outcome jsonb;
begin
  perform billing.check_text('event_id', event_id, true, billing.max_event_id_length());
  perform billing.check_text('payment_ref', payment_ref, true, billing.max_provider_ref_length());
  if amount_refunded is null or amount_refunded < 1 then
    perform billing.raise_invalid_argument('amount_refunded',
      'amount_refunded is the cumulative refunded amount in minor units, at least 1.');
  end if;
  if currency is not null and currency !~ '^[A-Za-z]{3}$' then
    perform billing.raise_invalid_argument('currency', 'currency is an ISO 4217 code such as usd.');
  end if;

  v_replay := billing.event_begin(refund_payment.event_id, v_event_type);
  if v_replay is not null then
    return v_replay;
  end if;

  perform billing.payment_ref_lock(payment_ref);
  select * into v_payment from public.payments p
   where p.provider_payment_intent = refund_payment.payment_ref;
  if not found then
    select * into v_payment from public.payments p
     where p.provider_session_id = refund_payment.payment_ref;
  end if;
  if v_payment.id is not null then
    -- The wallet before the payment, the order billing.repay_refund_debt relies on.
    perform billing.lock_wallet(v_payment.wallet_id);
    select * into strict v_payment from public.payments p where p.id = v_payment.id for update;
  end if;

  if v_payment.id is null then
    -- Out of order: keep the highest cumulative amount until the completion arrives.
    insert into billing.early_refunds as r (payment_ref, amount_refunded_cents, currency, last_event_id)
    values (refund_payment.payment_ref, refund_payment.amount_refunded, pg_catalog.lower(refund_payment.currency),
            refund_payment.event_id)
    on conflict on constraint early_refunds_ref_currency_key do update
      set amount_refunded_cents = greatest(r.amount_refunded_cents, excluded.amount_refunded_cents),
          last_event_id = case when excluded.amount_refunded_cents > r.amount_refunded_cents
                               then excluded.last_event_id else r.last_event_id end;
    v_outcome := pg_catalog.jsonb_build_object('payment_id', null, 'status', 'deferred',
      'payment_ref', payment_ref, 'amount_refunded_cents', amount_refunded);
  elsif pg_catalog.lower(currency) <> v_payment.currency then
    -- A refund in another currency than the payment cannot be a refund of it (misrouted or
    -- forged upstream): nothing changes; recorded (answered 2xx) with the reason for support.
    v_outcome := billing.payment_summary(v_payment) || pg_catalog.jsonb_build_object('rejected', true,
      'reason', pg_catalog.format('currency_mismatch: refund in %s, payment in %s',
                                  pg_catalog.lower(currency), v_payment.currency));
  else
    -- amount_refunded is cumulative; an older, smaller figure arriving late changes nothing.
    update public.payments p
       set amount_refunded_cents = greatest(p.amount_refunded_cents, least(refund_payment.amount_refunded, p.amount_cents))
     where p.id = v_payment.id;
    v_payment := billing.reconcile_refund(v_payment.id, v_actor);
    v_outcome := billing.payment_summary(v_payment);
  end if;

  return billing.event_finish(refund_payment.event_id, v_outcome, v_payment.id);
end;
$$;
comment on function public.refund_payment(text, text, integer, text) is
  'Service role only (stripe-webhook, charge.refunded). payment_ref is the payment intent (or the session id); amount_refunded is the cumulative refunded amount in minor units. Takes back the refunded share of the credits (floor(credits * refunded / amount), all when fully refunded; kind reversal), never below a zero balance: the shortfall goes to payments.credits_unrecovered. Status becomes partially_refunded or refunded; a pending payment keeps the amount and is reversed when it completes; an unknown payment is kept in billing.early_refunds (status deferred) and applied by complete_checkout. A refund whose currency (optional) differs from the payment''s changes nothing and returns rejected = true with reason currency_mismatch: …. Once per event_id (replays return the first outcome with replayed = true). Errors: 22023 invalid_event_id, invalid_payment_ref, invalid_amount_refunded, invalid_currency.';
revoke execute on function public.refund_payment(text, text, integer, text) from public, anon, authenticated;
grant execute on function public.refund_payment(text, text, integer, text) to service_role;

-- ---------------------------------------------------------------------------------------------
-- fail_checkout: the checkout ended without payment; the pending payment fails
-- ---------------------------------------------------------------------------------------------

-- Checkouts that end without payment: Stripe's checkout.session.expired (the buyer never paid
-- within the session's lifetime) and checkout.session.async_payment_failed (a delayed payment
-- method failed). The pending payment becomes failed with the reason, so it no longer shows as
-- "waiting for payment" and a late completion can never credit it.

create or replace function public.fail_checkout(
  event_id text,
  provider_session_id text,
  reason text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_payment public.payments;
  v_outcome jsonb;
begin
  perform billing.require_service_role();
  perform billing.check_text('event_id', event_id, true, billing.max_event_id_length());
  perform billing.check_text('provider_session_id', provider_session_id, true, billing.max_provider_ref_length());
  if reason is null or reason not in ('expired', 'async_payment_failed') then
    perform billing.raise_invalid_argument('reason', 'reason must be expired or async_payment_failed.');
  end if;

  v_replay := billing.event_begin(fail_checkout.event_id, 'checkout.session.' || fail_checkout.reason);
  if v_replay is not null then
    return v_replay;
  end if;

  -- The same lock complete_checkout takes, so a completion and a failure of one session serialise.
  perform billing.payment_ref_lock(provider_session_id);
  select * into v_payment from public.payments p
   where p.provider_session_id = fail_checkout.provider_session_id
   for update;

  if v_payment.id is null then
    v_outcome := pg_catalog.jsonb_build_object('payment_id', null, 'status', 'unknown_session',
      'provider_session_id', provider_session_id);
  elsif v_payment.status <> 'pending' then
    -- Already settled (paid, refunded or failed): a failure notice changes nothing.
    v_outcome := billing.payment_summary(v_payment) || '{"already_settled": true}'::jsonb;
  else
    update public.payments p
       set status = 'failed',
           failure_reason = case fail_checkout.reason
                              when 'expired' then 'checkout_expired: the checkout session expired without payment'
                              else 'async_payment_failed: the delayed payment method failed'
                            end
     where p.id = v_payment.id
    returning * into strict v_payment;
    v_outcome := billing.payment_summary(v_payment);
  end if;

  return billing.event_finish(fail_checkout.event_id, v_outcome, v_payment.id);
end;
$$;
comment on function public.fail_checkout(text, text, text) is
  'Service role only (stripe-webhook: checkout.session.expired / checkout.session.async_payment_failed). Marks a pending payment failed with failure_reason checkout_expired: … or async_payment_failed: …; a payment already settled is left alone (already_settled = true), an unknown session is recorded as unknown_session. Once per event_id (replays return the first outcome with replayed = true). Returns the payment fields and replayed. Errors: 22023 invalid_event_id, invalid_provider_session_id, invalid_reason; 42501 not_allowed.';
revoke execute on function public.fail_checkout(text, text, text) from public, anon, authenticated;
grant execute on function public.fail_checkout(text, text, text) to service_role;

-- ---------------------------------------------------------------------------------------------
-- reject_event: a signed event that can never be applied is recorded, not retried
-- ---------------------------------------------------------------------------------------------

-- Webhook events that can never be applied (signed by the provider but malformed, or refused by
-- the payment functions with a permanent error such as 22023 or PT409). Answering them non-2xx
-- would make Stripe retry for days and alert on a problem no retry can fix, so the webhook
-- records them here as rejected, with the reason for support, and answers 2xx. A later delivery
-- of the same event id replays this outcome (the payment functions check processed_events first).

create or replace function public.reject_event(
  event_id text,
  event_type text,
  reason text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
begin
  perform billing.require_service_role();
  perform billing.check_text('event_id', event_id, true, billing.max_event_id_length());
  perform billing.check_text('event_type', event_type, true, 100);
  perform billing.check_text('reason', reason, true, 1000);

  -- Already applied or rejected (a concurrent delivery won): its outcome stands.
  v_replay := billing.event_begin(reject_event.event_id, reject_event.event_type);
  if v_replay is not null then
    return v_replay;
  end if;
  return billing.event_finish(reject_event.event_id,
    pg_catalog.jsonb_build_object('payment_id', null, 'status', 'rejected', 'rejected', true,
      'event_type', event_type, 'reason', reason),
    null);
end;
$$;
comment on function public.reject_event(text, text, text) is
  'Service role only (stripe-webhook). Records a provider event that can never be applied as processed with outcome {payment_id: null, status: rejected, rejected: true, event_type, reason}, so its redeliveries are answered 2xx without changing anything. Returns that outcome and replayed (true, with the stored outcome, when the event id was already processed). Errors: 22023 invalid_event_id, invalid_event_type, invalid_reason; 42501 not_allowed.';
revoke execute on function public.reject_event(text, text, text) from public, anon, authenticated;
grant execute on function public.reject_event(text, text, text) to service_role;
