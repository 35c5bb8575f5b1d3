-- Subscriptions: plans that renew (monthly or yearly) and grant a lot of credits per paid invoice.
--
-- The provider (Stripe, or the local stand-in playing it) owns the subscription; this schema keeps
-- a copy the app can read (public.subscriptions) and turns its webhook events into payments and
-- lots, each event once (billing.event_begin / event_finish) and in any order:
--   * customer.subscription.created/updated/deleted (apply_subscription_event) carry the whole
--     subscription: plan, period, cancel flags and status. Stripe does not order deliveries, so a
--     snapshot older than the newest one applied (last_event_at) changes none of them.
--   * invoice.paid (apply_invoice_paid) grants the period's credits once per invoice id: a payments
--     row (purpose subscription; refunds by payment intent work as for packs) and its lot (source
--     subscription) expiring at the period end with the plan's rollover terms.
--   * invoice.payment_failed (apply_invoice_failed) marks it past due and mails the owner once.
-- Status has its own clock (status_at): invoices say "active" (paid) or "past_due" (failed) at
-- their event time, snapshots say their status; the newest wins, on equal times the later state of
-- a subscription's life (rank: canceled over past_due over active over incomplete), and canceled /
-- incomplete_expired are final. Periods only move forward (the greatest period end seen wins). So
-- any order of the same deliveries ends in the same row (subscriptions_order.test.sql).
--
-- Proration (an upgrade Stripe charges at once, billing_reason subscription_update): the invoice
-- grants floor((new credits - old credits) * line period / full period), the full period being the
-- new plan's interval before the line's period end; the old plan comes from the invoice's
-- previous_* keys (the unused-time line's price) or the subscription's last granted payment. A
-- downgrade grants nothing and takes nothing back: the next cycle's invoice grants the new plan.

/**
  * Section - Plans, payments and lots learn about subscriptions
 */

alter table public.plans drop constraint plans_kind_check;
alter table public.plans add constraint plans_kind_check check (kind in ('pack', 'tier', 'subscription'));
alter table public.plans
  add column billing_interval text check (billing_interval in ('month', 'year')),
  add column period_end_policy text check (period_end_policy in ('expire', 'rollover')),
  add column rollover_cap integer check (rollover_cap > 0 and rollover_cap <= credits),
  add column rollover_expires_after interval
    check (rollover_expires_after > interval '0' and rollover_expires_after <= interval '10 years'),
  add constraint plans_subscription_terms check (
    (kind = 'subscription') = (billing_interval is not null and period_end_policy is not null)
    and (kind <> 'subscription' or credits_expire_after is null)),
  add constraint plans_rollover_terms check (
    (period_end_policy is not distinct from 'rollover') = (rollover_cap is not null)
    and (rollover_cap is null) = (rollover_expires_after is null));

comment on column public.plans.kind is 'pack (one-off credit pack), tier (pricing tier) or subscription (renews every billing_interval; each paid invoice grants credits that last until the period ends).';
comment on column public.plans.billing_interval is 'Subscriptions only (required for them, null otherwise): month or year, how often it renews and grants credits.';
comment on column public.plans.period_end_policy is 'Subscriptions only (required for them): what the period''s unused credits do at its end: expire, or rollover (up to rollover_cap of them move into a rollover lot lasting rollover_expires_after).';
comment on column public.plans.rollover_cap is 'Rollover plans only (required for them): most credits of one period that roll over (1..credits).';
comment on column public.plans.rollover_expires_after is 'Rollover plans only (required for them): how long rolled-over credits last after the period end (more than 0, at most 10 years).';

-- A subscription renews on its own: its credits expire at the period end (the lot), never by
-- credits_expire_after. Prices are Stripe's lookup keys = these ids (supabase/README.md).
insert into public.plans (id, name, description, kind, credits, credits_expire_after, price_cents, currency, sort_order,
                          billing_interval, period_end_policy, rollover_cap, rollover_expires_after) values
  ('sub_starter_monthly', 'Starter monthly', '30 credits every month; unused credits expire at the end of the month.',
   'subscription', 30, null, 2500, 'usd', 60, 'month', 'expire', null, null),
  ('sub_pro_monthly', 'Pro monthly', '100 credits every month; up to 50 unused credits roll over for one more month.',
   'subscription', 100, null, 7900, 'usd', 70, 'month', 'rollover', 50, interval '1 month'),
  ('sub_pro_yearly', 'Pro yearly', '1,200 credits every year; up to 300 unused credits roll over for three more months.',
   'subscription', 1200, null, 79000, 'usd', 80, 'year', 'rollover', 300, interval '3 months')
on conflict (id) do nothing;

alter table public.payments
  add column purpose text not null default 'pack' check (purpose in ('pack', 'subscription'));
comment on column public.payments.purpose is 'What the charge was: pack (a checkout of a pack or tier; the default), subscription (one paid subscription invoice: provider_session_id is the invoice id in_..., credits what it granted).';
comment on column public.payments.credits_expire_after is 'How long the credits last once paid (their lot expires at paid_at + this; null = never), copied from the plan when the checkout started. Null for purpose subscription: an invoice''s lot expires at the end of the period it pays for.';
comment on column public.payments.provider_session_id is 'Checkout session id at the provider (Stripe cs_...; local cs_local_...), or for a subscription invoice the invoice id (in_...). Unique.';

alter table public.credit_lots drop constraint credit_lots_source_check;
alter table public.credit_lots add constraint credit_lots_source_check
  check (source in ('purchase', 'grant', 'promotional', 'refund', 'adjustment', 'subscription', 'rollover'));
alter table public.credit_lots
  add column rollover_limit integer check (rollover_limit >= 0),
  add column rollover_expires_after interval check (rollover_expires_after > interval '0');
comment on column public.credit_lots.source is 'Where the credits came from: purchase (a payment), grant (support or system), promotional (sign-up or marketing grant: spent first), refund (what a completed interview was charged, given back), adjustment (a positive support correction or goodwill credits, billing.support_adjust_credits), subscription (a paid subscription invoice: expires at the period end), rollover (unused subscription credits carried past a period end).';
comment on column public.credit_lots.rollover_limit is 'Subscription lots of a rollover plan: most of the lot''s unused credits that roll over into a rollover lot when it expires (the plan''s rollover_cap); null = nothing rolls over.';
comment on column public.credit_lots.rollover_expires_after is 'With rollover_limit: how long the rolled-over credits last after this lot''s expiry (the plan''s rollover_expires_after).';

-- A subscription plan is sold only as a subscription: a one-off checkout of it (record_checkout,
-- or a completion recorded from metadata) would grant a period's credits that never expire.
create or replace function billing.refuse_subscription_plan_as_pack()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.plans p where p.id = new.plan_id and p.kind = 'subscription') then
    raise exception using
      errcode = '22023',
      message = 'plan_is_subscription',
      detail = pg_catalog.jsonb_build_object('plan_id', new.plan_id)::text,
      hint = 'This plan is a subscription: subscribe to it instead of buying it once.';
  end if;
  return new;
end;
$$;
comment on function billing.refuse_subscription_plan_as_pack() is
  'Trigger: refuses a payment of purpose pack for a plan of kind subscription (22023 plan_is_subscription): subscription plans are paid by invoices only.';
revoke execute on function billing.refuse_subscription_plan_as_pack() from public, anon, authenticated, service_role;

create trigger payments_refuse_subscription_plan_as_pack
  before insert on public.payments
  for each row
  when (new.purpose = 'pack')
  execute function billing.refuse_subscription_plan_as_pack();

/**
  * Section - Customers and subscriptions
 */

create table if not exists public.billing_customers (
  wallet_id uuid primary key,
  provider text not null check (provider in ('stripe', 'local')),
  provider_customer_id text not null unique check (pg_catalog.char_length(provider_customer_id) between 1 and 500),
  default_payment_method text check (default_payment_method is null or pg_catalog.char_length(default_payment_method) between 1 and 500),
  updated_at timestamptz not null default pg_catalog.now()
);
comment on table public.billing_customers is
  'The payment provider''s customer of each wallet (a recruiter''s personal one or a team''s): subscriptions, the billing portal and off-session top-ups use it. Written by the service role and the payment functions only; not readable through the API.';
comment on column public.billing_customers.wallet_id is 'The wallet (public.users.id or public.teams.id).';
comment on column public.billing_customers.provider is 'stripe, or local (the development provider).';
comment on column public.billing_customers.provider_customer_id is 'Customer id at the provider (Stripe cus_...). Unique.';
comment on column public.billing_customers.default_payment_method is 'The saved payment method for off-session charges (Stripe pm_...), if any.';
comment on column public.billing_customers.updated_at is 'When the row last changed.';
alter table public.billing_customers enable row level security;
revoke all on table public.billing_customers from public, anon, authenticated, service_role;
grant select, insert, update on table public.billing_customers to service_role;

create table public.subscriptions (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  user_id uuid not null references public.users (id),
  team_id uuid references public.teams (id),
  wallet_id uuid not null generated always as (coalesce(team_id, user_id)) stored,
  provider text not null check (provider in ('stripe', 'local')),
  provider_subscription_id text unique check (pg_catalog.char_length(provider_subscription_id) between 1 and 500),
  provider_customer_id text check (pg_catalog.char_length(provider_customer_id) between 1 and 500),
  checkout_session_id text unique check (pg_catalog.char_length(checkout_session_id) between 1 and 500),
  plan_id text not null references public.plans (id),
  status text not null default 'incomplete'
    check (status in ('incomplete', 'active', 'trialing', 'past_due', 'unpaid', 'canceled', 'incomplete_expired', 'paused')),
  current_period_start timestamptz,
  current_period_end timestamptz,
  cancel_at_period_end boolean not null default false,
  canceled_at timestamptz,
  last_event_at timestamptz,
  status_at timestamptz,
  created_at timestamptz not null default pg_catalog.now(),
  updated_at timestamptz not null default pg_catalog.now(),
  constraint subscriptions_period_in_order check (current_period_end is null or current_period_start is null
                                                  or current_period_end >= current_period_start)
);
comment on table public.subscriptions is
  'Subscriptions (plans of kind subscription), one row per provider subscription (or per checkout still open): the app''s copy of what the provider reports, kept by the service-role functions apply_subscription_event / apply_invoice_paid / apply_invoice_failed in any delivery order. At most one live (not canceled / incomplete_expired) per wallet. Readable by the buyer (personal) or the team''s members; nobody writes through the API.';
comment on column public.subscriptions.id is 'Subscription id (ours).';
comment on column public.subscriptions.user_id is 'The buyer (public.users.id): who started the checkout.';
comment on column public.subscriptions.team_id is 'The team whose wallet its credits go to; null = the buyer''s personal workspace.';
comment on column public.subscriptions.wallet_id is 'The wallet its credits go to (team_id, or user_id; generated).';
comment on column public.subscriptions.provider is 'stripe, or local (the development provider).';
comment on column public.subscriptions.provider_subscription_id is 'Subscription id at the provider (Stripe sub_...; local sub_local_...); null while the checkout is open. Unique.';
comment on column public.subscriptions.provider_customer_id is 'Customer id at the provider (Stripe cus_...), as its events report it.';
comment on column public.subscriptions.checkout_session_id is 'The checkout session that started it (record_subscription_checkout), if any. Unique.';
comment on column public.subscriptions.plan_id is 'The plan it is on now (public.plans.id, kind subscription); a plan change shows here once the provider reports it.';
comment on column public.subscriptions.status is 'The provider''s status: incomplete (checkout open or first payment pending), active, trialing, past_due (a renewal failed; the provider retries), unpaid, paused, canceled, incomplete_expired (never paid, or a checkout replaced by a newer one). canceled and incomplete_expired are final.';
comment on column public.subscriptions.current_period_start is 'Start of the period paid for now.';
comment on column public.subscriptions.current_period_end is 'End of the period paid for now: the renewal date, and when the period''s credits expire (or roll over).';
comment on column public.subscriptions.cancel_at_period_end is 'True when it was cancelled to end at current_period_end; its credits last until then.';
comment on column public.subscriptions.canceled_at is 'When it was cancelled (at the provider), if it was.';
comment on column public.subscriptions.last_event_at is 'Creation time (Stripe event.created) of the newest subscription event applied; older deliveries change nothing. Null until the first customer.subscription.* event.';
comment on column public.subscriptions.status_at is 'Creation time of the event that set status (a subscription event, or invoice.paid / invoice.payment_failed); a status older than this changes nothing.';
comment on column public.subscriptions.created_at is 'When the row was created.';
comment on column public.subscriptions.updated_at is 'When the row last changed.';

create index subscriptions_user_id_idx on public.subscriptions (user_id);
create index subscriptions_team_id_idx on public.subscriptions (team_id) where team_id is not null;
create index subscriptions_plan_id_idx on public.subscriptions (plan_id);
create index subscriptions_wallet_id_idx on public.subscriptions (wallet_id, created_at desc);
create unique index subscriptions_one_live_per_wallet on public.subscriptions (wallet_id)
  where status not in ('canceled', 'incomplete_expired');

create trigger subscriptions_touch_updated_at
  before update on public.subscriptions
  for each row execute function billing.touch_updated_at();

alter table public.subscriptions enable row level security;

create policy "Buyers and team members can read their subscriptions"
  on public.subscriptions for select
  to authenticated
  using ((user_id = (select auth.uid()) and team_id is null)
         or team_id in (select team_access.my_team_ids()));

revoke all on table public.subscriptions from public, anon, authenticated, service_role;
grant select on table public.subscriptions to authenticated, service_role;

alter table public.payments add column subscription_id uuid references public.subscriptions (id);
comment on column public.payments.subscription_id is 'For purpose subscription: the subscription whose invoice this is (null when the invoice could not be tied to one).';
create index payments_subscription_id_idx on public.payments (subscription_id, paid_at desc) where subscription_id is not null;

-- A team deleted while it is subscribed would go on being charged for credits nobody can see:
-- delete_team (which sets deleted_at) is refused until the subscription is cancelled.
create or replace function billing.refuse_subscribed_team_delete()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- A checkout still open at Stripe (Checkout sessions live 24 hours) counts too: completed after
  -- the deletion it would subscribe a team nobody can see, manage or cancel.
  if not exists (select 1 from public.subscriptions s
                  where s.team_id = new.id and s.status not in ('canceled', 'incomplete_expired')
                    and (s.provider_subscription_id is not null
                         or (s.status = 'incomplete' and s.created_at > pg_catalog.now() - interval '24 hours'))) then
    return new;
  end if;
  raise exception using
    errcode = 'PT409',
    message = 'team_has_subscription',
    detail = pg_catalog.jsonb_build_object('team_id', new.id)::text,
    hint = 'This team has a subscription (or a checkout for one started in the last 24 hours): cancel it (Manage subscription) and wait until it has ended, or for the checkout to expire, then delete the team.';
end;
$$;
comment on function billing.refuse_subscribed_team_delete() is
  'Trigger: refuses deleting a team (setting teams.deleted_at) while it has a subscription that is not canceled or incomplete_expired, or a subscription checkout opened in the last 24 hours (Stripe can still complete it) (PT409 team_has_subscription).';
revoke execute on function billing.refuse_subscribed_team_delete() from public, anon, authenticated, service_role;

create trigger teams_refuse_delete_while_subscribed
  before update of deleted_at on public.teams
  for each row
  when (old.deleted_at is null and new.deleted_at is not null)
  execute function billing.refuse_subscribed_team_delete();

/**
  * Section - Helpers
 */

create or replace function billing.subscription_status_rank(p_status text)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case p_status
           when 'incomplete' then 0 when 'trialing' then 1 when 'active' then 2 when 'paused' then 3
           when 'past_due' then 4 when 'unpaid' then 5 when 'incomplete_expired' then 6 when 'canceled' then 7
         end;
$$;
comment on function billing.subscription_status_rank(text) is
  'Order of subscription statuses for events of the same second: the later state of a subscription''s life wins (canceled over past_due over active over incomplete). 6 and 7 (incomplete_expired, canceled) are final.';
revoke execute on function billing.subscription_status_rank(text) from public, anon, authenticated, service_role;

-- The status rule every event goes through: final states stay; else the newest event, and on the
-- same second the later state. A total order, so the result does not depend on delivery order.
create or replace function billing.subscription_status_wins(p_cur_status text, p_cur_at timestamptz,
                                                            p_new_status text, p_new_at timestamptz)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case
    when p_cur_at is null then true
    when billing.subscription_status_rank(p_cur_status) >= 6 and billing.subscription_status_rank(p_new_status) < 6 then false
    when billing.subscription_status_rank(p_cur_status) < 6 and billing.subscription_status_rank(p_new_status) >= 6 then true
    when p_new_at <> p_cur_at then p_new_at > p_cur_at
    else billing.subscription_status_rank(p_new_status) >= billing.subscription_status_rank(p_cur_status)
  end;
$$;
comment on function billing.subscription_status_wins(text, timestamptz, text, timestamptz) is
  'Whether a status reported at p_new_at replaces the current one (set at p_cur_at): never out of a final state (canceled, incomplete_expired) into another; else the newer event, and on equal times the higher billing.subscription_status_rank.';
revoke execute on function billing.subscription_status_wins(text, timestamptz, text, timestamptz) from public, anon, authenticated, service_role;

-- Stripe sends times as epoch seconds; the local provider and tests may send ISO text.
create or replace function billing.jsonb_time(p_object jsonb, p_key text)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_value jsonb := p_object -> p_key;
begin
  if v_value is null or pg_catalog.jsonb_typeof(v_value) = 'null' then
    return null;
  elsif pg_catalog.jsonb_typeof(v_value) = 'number' then
    return pg_catalog.to_timestamp((v_value #>> '{}')::double precision);
  end if;
  return (v_value #>> '{}')::timestamptz;
exception when others then
  perform billing.raise_invalid_argument(p_key, p_key || ' must be epoch seconds or an ISO 8601 time');
  return null;
end;
$$;
comment on function billing.jsonb_time(jsonb, text) is
  'Reads a time from a webhook object: epoch seconds (Stripe) or ISO 8601 text; null when absent; else 22023 invalid_<key>.';
revoke execute on function billing.jsonb_time(jsonb, text) from public, anon, authenticated, service_role;

create or replace function billing.jsonb_uuid(p_object jsonb, p_key text)
returns uuid
language plpgsql
immutable
set search_path = ''
as $$
begin
  return nullif(p_object ->> p_key, '')::uuid;
exception when invalid_text_representation then
  perform billing.raise_invalid_argument(p_key, p_key || ' must be a uuid');
  return null;
end;
$$;
comment on function billing.jsonb_uuid(jsonb, text) is
  'Reads a uuid from a webhook object''s metadata key; null when absent or empty; else 22023 invalid_<key>.';
revoke execute on function billing.jsonb_uuid(jsonb, text) from public, anon, authenticated, service_role;

-- A price maps to a plan by its lookup key (= plans.id), else its id (plans.provider_price_id),
-- else the subscription's metadata plan_id. p_prefix reads previous_lookup_key etc. (proration).
create or replace function billing.subscription_plan_of(p_object jsonb, p_prefix text default '')
returns public.plans
language sql
stable
security definer
set search_path = ''
as $$
  select p.* from public.plans p
   where p.kind = 'subscription'
     and (p.id = p_object ->> (p_prefix || 'lookup_key')
          or p.provider_price_id = p_object ->> (p_prefix || 'price_id')
          or p.id = p_object ->> (p_prefix || 'plan_id'))
   order by p.id = p_object ->> (p_prefix || 'lookup_key') desc,
            p.provider_price_id is not distinct from p_object ->> (p_prefix || 'price_id') desc
   limit 1;
$$;
comment on function billing.subscription_plan_of(jsonb, text) is
  'The subscription plan an event''s price names: price lookup_key = plans.id, else price_id = plans.provider_price_id, else plan_id (the subscription''s metadata); keys read with p_prefix (previous_ for the old plan of a proration). All fields null when none matches.';
revoke execute on function billing.subscription_plan_of(jsonb, text) from public, anon, authenticated, service_role;

create or replace function billing.subscription_summary(p_subscription public.subscriptions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'subscription_id', p_subscription.id,
    'provider_subscription_id', p_subscription.provider_subscription_id,
    'status', p_subscription.status,
    'plan_id', p_subscription.plan_id,
    'user_id', p_subscription.user_id,
    'team_id', p_subscription.team_id,
    'wallet_id', p_subscription.wallet_id,
    'current_period_start', p_subscription.current_period_start,
    'current_period_end', p_subscription.current_period_end,
    'cancel_at_period_end', p_subscription.cancel_at_period_end,
    'canceled_at', p_subscription.canceled_at);
$$;
comment on function billing.subscription_summary(public.subscriptions) is
  'The fields of a subscription the subscription functions return (subscription_id is ours; all null when there is none).';
revoke execute on function billing.subscription_summary(public.subscriptions) from public, anon, authenticated, service_role;

-- Finds (and locks, wallet first) the row an event is about, or creates it from the event's
-- metadata: by provider id, else the checkout session, else the wallet's open checkout. An open
-- checkout another live subscription makes obsolete is closed (incomplete_expired). Returns all
-- fields null when the event names nothing of ours, or when another subscription is live in the
-- wallet (at most one: the caller reports it).
create or replace function billing.subscription_for_event(p_object jsonb, p_plan public.plans)
returns public.subscriptions
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_provider_id text := p_object ->> 'subscription_id';
  v_session_id text := nullif(p_object ->> 'checkout_session_id', '');
  v_user_id uuid := billing.jsonb_uuid(p_object, 'user_id');
  v_team_id uuid := billing.jsonb_uuid(p_object, 'team_id');
  v_wallet_id uuid;
  v_sub public.subscriptions;
begin
  select s.wallet_id into v_wallet_id from public.subscriptions s where s.provider_subscription_id = v_provider_id;
  if v_wallet_id is null and v_session_id is not null then
    select s.wallet_id into v_wallet_id from public.subscriptions s where s.checkout_session_id = v_session_id;
  end if;
  if v_wallet_id is null then
    if v_user_id is null or not exists (select 1 from public.users u where u.id = v_user_id)
       or (v_team_id is not null and not exists (select 1 from public.teams t where t.id = v_team_id))
       or p_plan.id is null then
      return v_sub;
    end if;
    v_wallet_id := coalesce(v_team_id, v_user_id);
  end if;

  -- The wallet first (the order of every balance change), then the row: two events of one new
  -- subscription delivered at once create it once.
  perform billing.lock_wallet(v_wallet_id);
  select * into v_sub from public.subscriptions s where s.provider_subscription_id = v_provider_id for update;
  if v_sub.id is not null then
    return v_sub;
  end if;
  if exists (select 1 from public.subscriptions s
              where s.wallet_id = v_wallet_id and s.status not in ('canceled', 'incomplete_expired')
                and s.provider_subscription_id is not null) then
    -- Another subscription is live in this wallet: this one cannot be too (at most one per wallet).
    return null;
  end if;
  -- The checkout that started it (by session, else the wallet's newest open one) becomes it; any
  -- other open checkout of this wallet is obsolete now.
  select * into v_sub from public.subscriptions s
   where s.provider_subscription_id is null and s.wallet_id = v_wallet_id
     and (s.checkout_session_id = v_session_id or s.status = 'incomplete')
   order by s.checkout_session_id is not distinct from v_session_id desc, s.created_at desc
   limit 1
     for update;
  update public.subscriptions s set status = 'incomplete_expired'
   where s.wallet_id = v_wallet_id and s.id is distinct from v_sub.id and s.provider_subscription_id is null
     and s.status not in ('canceled', 'incomplete_expired');
  if v_sub.id is null and (v_user_id is null or p_plan.id is null) then
    -- Found the wallet by a checkout session that is another subscription's now, and the event
    -- carries no metadata to make a row of its own.
    return null;
  elsif v_sub.id is null then
    insert into public.subscriptions (user_id, team_id, provider, provider_subscription_id, plan_id, status)
    values (v_user_id, v_team_id, case when v_provider_id like 'sub\_local\_%' then 'local' else 'stripe' end,
            v_provider_id, p_plan.id, 'incomplete')
    returning * into v_sub;
  else
    -- A checkout replaced by a newer one and completed after all is live again (status_at null:
    -- the first event sets its status).
    update public.subscriptions s
       set provider_subscription_id = v_provider_id, status = 'incomplete', status_at = null
     where s.id = v_sub.id
    returning * into v_sub;
  end if;
  return v_sub;
end;
$$;
comment on function billing.subscription_for_event(jsonb, public.plans) is
  'Finds and locks (wallet row first) the subscription a webhook object names (subscription_id, else checkout_session_id, else the wallet''s open checkout), or creates it from the metadata (user_id, team_id) and p_plan. Returns all fields null when it names nothing of ours or another subscription is live in the wallet. Internal.';
revoke execute on function billing.subscription_for_event(jsonb, public.plans) from public, anon, authenticated, service_role;

-- Why billing.subscription_for_event found no row: nothing of ours, or another live one.
create or replace function billing.subscription_miss(p_object jsonb)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select case when exists (select 1 from public.subscriptions s
                            where s.wallet_id = coalesce(billing.jsonb_uuid(p_object, 'team_id'), billing.jsonb_uuid(p_object, 'user_id'))
                              and s.status not in ('canceled', 'incomplete_expired') and s.provider_subscription_id is not null)
              then 'another_subscription_live' else 'unknown_subscription' end;
$$;
comment on function billing.subscription_miss(jsonb) is
  'The outcome status of an event billing.subscription_for_event found no row for: another_subscription_live (the metadata''s wallet has another live subscription: at most one per wallet; nothing changes, support cancels the extra one) or unknown_subscription. Internal.';
revoke execute on function billing.subscription_miss(jsonb) from public, anon, authenticated, service_role;

-- Applies a status reported at p_at by any event (billing.subscription_status_wins decides).
create or replace function billing.subscription_set_status(p_sub public.subscriptions, p_status text, p_at timestamptz)
returns public.subscriptions
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_sub public.subscriptions := p_sub;
begin
  if billing.subscription_status_wins(v_sub.status, v_sub.status_at, p_status, p_at) then
    update public.subscriptions s
       set status = p_status,
           status_at = greatest(s.status_at, p_at),
           canceled_at = case when p_status = 'canceled' then coalesce(s.canceled_at, p_at) else s.canceled_at end
     where s.id = v_sub.id
    returning * into strict v_sub;
  end if;
  return v_sub;
end;
$$;
comment on function billing.subscription_set_status(public.subscriptions, text, timestamptz) is
  'Sets a subscription''s status reported at p_at when billing.subscription_status_wins says so (status_at keeps the newest time). Internal.';
revoke execute on function billing.subscription_set_status(public.subscriptions, text, timestamptz) from public, anon, authenticated, service_role;

-- Periods only move forward: the greatest period end seen wins, whoever reported it.
create or replace function billing.subscription_set_period(p_sub public.subscriptions, p_start timestamptz, p_end timestamptz)
returns public.subscriptions
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_sub public.subscriptions := p_sub;
begin
  if p_end is not null and (v_sub.current_period_end is null or p_end > v_sub.current_period_end) then
    update public.subscriptions s
       set current_period_start = least(coalesce(p_start, p_end), p_end), current_period_end = p_end
     where s.id = v_sub.id
    returning * into strict v_sub;
  end if;
  return v_sub;
end;
$$;
comment on function billing.subscription_set_period(public.subscriptions, timestamptz, timestamptz) is
  'Moves a subscription''s current period forward to [p_start, p_end] when p_end is later than the period it has (an older report changes nothing). Internal.';
revoke execute on function billing.subscription_set_period(public.subscriptions, timestamptz, timestamptz) from public, anon, authenticated, service_role;

create or replace function billing.notify_subscription_changed(p_sub public.subscriptions)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_sub.id is not null then
    perform realtime.send(pg_catalog.jsonb_build_object('subscription_id', p_sub.id, 'status', p_sub.status),
                          'subscription', 'balance:' || p_sub.wallet_id::text, true);
  end if;
end;
$$;
comment on function billing.notify_subscription_changed(public.subscriptions) is
  'Sends event subscription {subscription_id, status} on the wallet''s private Realtime topic balance:<wallet id>, so open billing pages re-read subscription_status(). Internal.';
revoke execute on function billing.notify_subscription_changed(public.subscriptions) from public, anon, authenticated, service_role;

/**
  * Section - Public functions
  * The checkout and the webhook call these with the service role; the SPA calls subscription_status.
 */

create or replace function public.record_subscription_checkout(
  user_id uuid,
  team_id uuid,
  plan_id text,
  provider text,
  session_id text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_plan public.plans;
  v_wallet_id uuid := coalesce(record_subscription_checkout.team_id, record_subscription_checkout.user_id);
  v_sub public.subscriptions;
begin
  perform billing.require_service_role();
  if provider is null or provider not in ('stripe', 'local') then
    perform billing.raise_invalid_argument('provider', 'provider must be stripe or local.');
  end if;
  perform billing.check_text('session_id', session_id, true, billing.max_provider_ref_length());
  if user_id is null or not exists (select 1 from public.users u where u.id = record_subscription_checkout.user_id) then
    perform billing.raise_unknown('user', 'The buyer must be a signed-up recruiter.');
  end if;
  select * into v_plan from public.plans p where p.id = record_subscription_checkout.plan_id and p.active;
  if not found then
    perform billing.raise_unknown('plan', 'Choose one of the active plans.');
  end if;
  if v_plan.kind <> 'subscription' then
    raise exception using errcode = '22023', message = 'plan_not_subscription',
      detail = pg_catalog.jsonb_build_object('plan_id', v_plan.id, 'kind', v_plan.kind)::text,
      hint = 'This plan is a one-off purchase: buy it with a checkout, not a subscription.';
  end if;
  if record_subscription_checkout.team_id is not null
     and not exists (select 1 from public.team_members m
                      where m.team_id = record_subscription_checkout.team_id and m.user_id = record_subscription_checkout.user_id
                        and m.role in ('owner', 'admin')) then
    raise exception using errcode = '42501', message = 'not_team_admin',
      detail = pg_catalog.jsonb_build_object('team_id', record_subscription_checkout.team_id)::text,
      hint = 'Only an owner or admin of the team can subscribe for it.';
  end if;

  perform billing.lock_wallet(v_wallet_id);
  select * into v_sub from public.subscriptions s where s.checkout_session_id = record_subscription_checkout.session_id;
  if v_sub.id is not null then
    if v_sub.user_id <> record_subscription_checkout.user_id or v_sub.plan_id <> v_plan.id
       or v_sub.team_id is distinct from record_subscription_checkout.team_id then
      raise exception using errcode = 'PT409', message = 'provider_session_reused',
        detail = pg_catalog.jsonb_build_object('session_id', session_id)::text,
        hint = 'This checkout session is already recorded for another subscription.';
    end if;
    return billing.subscription_summary(v_sub) || '{"replayed": true}'::jsonb;
  end if;
  select * into v_sub from public.subscriptions s
   where s.wallet_id = v_wallet_id and s.status not in ('canceled', 'incomplete_expired')
     and s.provider_subscription_id is not null;
  if v_sub.id is not null then
    raise exception using errcode = 'PT409', message = 'subscription_exists',
      detail = pg_catalog.jsonb_build_object('subscription_id', v_sub.id, 'plan_id', v_sub.plan_id, 'status', v_sub.status)::text,
      hint = 'This workspace already has a subscription: change or cancel it from Manage subscription.';
  end if;
  -- A checkout left open before is replaced by this one (if it is completed after all, its
  -- events find this wallet's open row and take it over: billing.subscription_for_event).
  update public.subscriptions s set status = 'incomplete_expired'
   where s.wallet_id = v_wallet_id and s.status = 'incomplete' and s.provider_subscription_id is null;
  insert into public.subscriptions (user_id, team_id, provider, checkout_session_id, plan_id, status)
  values (record_subscription_checkout.user_id, record_subscription_checkout.team_id, record_subscription_checkout.provider,
          record_subscription_checkout.session_id, v_plan.id, 'incomplete')
  returning * into v_sub;
  return billing.subscription_summary(v_sub) || '{"replayed": false}'::jsonb;
end;
$$;
comment on function public.record_subscription_checkout(uuid, uuid, text, text, text) is
  'Service role only (checkout, before redirecting). Records a subscription checkout just created at the provider as a subscription row with status incomplete (a previous open checkout of the wallet is replaced: incomplete_expired). team_id null = the buyer''s personal workspace; else the buyer must be an owner or admin of the team. Returns {subscription_id, status, plan_id, user_id, team_id, wallet_id, ..., replayed}; the same session again returns the same row (replayed = true). Errors: 22023 unknown_user, unknown_plan, plan_not_subscription, invalid_provider, invalid_session_id; 42501 not_team_admin; PT409 subscription_exists (the wallet has a live subscription), provider_session_reused.';
revoke execute on function public.record_subscription_checkout(uuid, uuid, text, text, text) from public, anon, authenticated;
grant execute on function public.record_subscription_checkout(uuid, uuid, text, text, text) to service_role;

create or replace function public.apply_subscription_event(event_id text, event_type text, subscription jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_obj jsonb := apply_subscription_event.subscription;
  v_at timestamptz;
  v_status text;
  v_replay jsonb;
  v_plan public.plans;
  v_sub public.subscriptions;
  v_outcome jsonb;
begin
  perform billing.require_service_role();
  perform billing.check_text('event_id', event_id, true, billing.max_event_id_length());
  if event_type is null or event_type not in ('customer.subscription.created', 'customer.subscription.updated',
                                               'customer.subscription.deleted') then
    perform billing.raise_invalid_argument('event_type',
      'event_type must be customer.subscription.created, customer.subscription.updated or customer.subscription.deleted.');
  end if;
  if v_obj is null or pg_catalog.jsonb_typeof(v_obj) <> 'object' then
    perform billing.raise_invalid_argument('subscription', 'subscription must be a JSON object.');
  end if;
  perform billing.check_text('subscription_id', v_obj ->> 'subscription_id', true, billing.max_provider_ref_length());
  v_status := case when event_type = 'customer.subscription.deleted' then 'canceled' else v_obj ->> 'status' end;
  if billing.subscription_status_rank(v_status) is null then
    perform billing.raise_invalid_argument('status', 'status must be one of Stripe''s subscription statuses.');
  end if;
  v_at := billing.jsonb_time(v_obj, 'event_created');
  if v_at is null then
    perform billing.raise_invalid_argument('event_created', 'event_created (the event''s creation time) is required.');
  end if;

  v_replay := billing.event_begin(apply_subscription_event.event_id, apply_subscription_event.event_type);
  if v_replay is not null then
    return v_replay;
  end if;

  v_plan := billing.subscription_plan_of(v_obj);
  v_sub := billing.subscription_for_event(v_obj, v_plan);
  if v_sub.id is null then
    v_outcome := pg_catalog.jsonb_build_object('subscription_id', null, 'status', billing.subscription_miss(v_obj),
      'provider_subscription_id', v_obj ->> 'subscription_id', 'credited', 0, 'payment_id', null);
    return billing.event_finish(apply_subscription_event.event_id, v_outcome, null);
  end if;

  -- The snapshot's own fields: only from a delivery not older than the newest applied (on the
  -- same second, a cancellation wins).
  if v_sub.last_event_at is null or v_at > v_sub.last_event_at
     or (v_at = v_sub.last_event_at and billing.subscription_status_rank(v_status) >= 6) then
    update public.subscriptions s
       set last_event_at = v_at,
           plan_id = coalesce(v_plan.id, s.plan_id),
           provider_customer_id = coalesce(v_obj ->> 'customer_id', s.provider_customer_id),
           cancel_at_period_end = coalesce((v_obj ->> 'cancel_at_period_end')::boolean, s.cancel_at_period_end),
           canceled_at = coalesce(billing.jsonb_time(v_obj, 'canceled_at'), s.canceled_at)
     where s.id = v_sub.id
    returning * into strict v_sub;
  end if;
  v_sub := billing.subscription_set_status(v_sub, v_status, v_at);
  v_sub := billing.subscription_set_period(v_sub, billing.jsonb_time(v_obj, 'current_period_start'),
                                           billing.jsonb_time(v_obj, 'current_period_end'));
  if v_obj ->> 'customer_id' is not null then
    insert into public.billing_customers (wallet_id, provider, provider_customer_id)
    values (v_sub.wallet_id, v_sub.provider, v_obj ->> 'customer_id')
    on conflict do nothing;
  end if;
  perform billing.notify_subscription_changed(v_sub);
  v_outcome := billing.subscription_summary(v_sub) || '{"credited": 0, "payment_id": null}'::jsonb;
  return billing.event_finish(apply_subscription_event.event_id, v_outcome, null);
end;
$$;
comment on function public.apply_subscription_event(text, text, jsonb) is
  'Service role only (stripe-webhook: customer.subscription.created / updated / deleted). subscription keys: subscription_id (required), customer_id, status, price_id / lookup_key / plan_id (the plan: lookup_key = plans.id, else provider_price_id, else metadata plan_id), user_id, team_id (metadata), checkout_session_id, current_period_start, current_period_end, cancel_at_period_end, canceled_at, event_created (required; epoch seconds or ISO). Creates the row from whichever event comes first. Plan, cancel flags and customer follow the newest event (last_event_at; older ones change nothing; on the same second a deletion wins); status follows billing.subscription_status_wins (deleted = canceled, final); the period only moves forward. Records the customer in billing_customers. Once per event_id. Returns {subscription_id, status, plan_id, current_period_end, cancel_at_period_end, ..., credited: 0, payment_id: null, replayed}; status unknown_subscription (nothing changed) when the object names no subscription of ours and no metadata. Errors: 22023 invalid_event_id, invalid_event_type, invalid_subscription, invalid_subscription_id, invalid_status, invalid_event_created, invalid_<time key>, invalid_user_id, invalid_team_id.';
revoke execute on function public.apply_subscription_event(text, text, jsonb) from public, anon, authenticated;
grant execute on function public.apply_subscription_event(text, text, jsonb) to service_role;

-- ---------------------------------------------------------------------------------------------
-- apply_invoice_paid: a subscription invoice was paid; grant its credits exactly once
-- ---------------------------------------------------------------------------------------------

-- What an invoice grants: a period's credits, or for an upgrade charged at once the prorated
-- difference (0 for a downgrade). The old plan is the one the unused-time line names
-- (previous_*), else the plan of the subscription's last granted invoice.
create or replace function billing.invoice_credits(p_invoice jsonb, p_plan public.plans, p_sub public.subscriptions)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_old public.plans := billing.subscription_plan_of(p_invoice, 'previous_');
  v_start timestamptz := billing.jsonb_time(p_invoice, 'period_start');
  v_end timestamptz := billing.jsonb_time(p_invoice, 'period_end');
  v_full interval;
  v_share numeric;
begin
  if p_invoice ->> 'billing_reason' is distinct from 'subscription_update' then
    return pg_catalog.jsonb_build_object('credits', p_plan.credits, 'expected_cents', p_plan.price_cents, 'prorated', false);
  end if;
  if v_old.id is null and p_sub.id is not null then
    -- The newest granted invoice: its lot is the newest (lot ids grow with every grant).
    select pl.* into v_old
      from public.payments p
      join public.credit_lots l on l.payment_id = p.id
      join public.plans pl on pl.id = p.plan_id
     where p.subscription_id = p_sub.id
     order by l.id desc
     limit 1;
  end if;
  if v_old.id is null or v_start is null or v_end is null or v_end <= v_start then
    return pg_catalog.jsonb_build_object('credits', 0, 'prorated', true, 'reason', 'previous_plan_unknown');
  end if;
  -- The share of the period left when the plan changed, by the new plan's interval ending at the
  -- line's end (the same number whichever event arrived first).
  v_full := v_end - (v_end - case p_plan.billing_interval when 'year' then interval '1 year' else interval '1 month' end);
  v_share := least(1, greatest(0, pg_catalog.date_part('epoch', v_end - v_start)::numeric
                                  / pg_catalog.date_part('epoch', v_full)::numeric));
  return pg_catalog.jsonb_build_object('credits', greatest(0, pg_catalog.floor((p_plan.credits - v_old.credits) * v_share))::integer,
    'prorated', true, 'previous_plan_id', v_old.id,
    'reason', case when p_plan.credits <= v_old.credits then 'downgrade' end);
end;
$$;
comment on function billing.invoice_credits(jsonb, public.plans, public.subscriptions) is
  'Credits a paid subscription invoice grants: the plan''s credits for a period (expected_cents = its price), or for billing_reason subscription_update floor((new credits - old credits) * (period_end - period_start) / (the new plan''s interval ending at period_end)), never below 0 (a downgrade grants nothing, reason downgrade). Old plan: previous_lookup_key / previous_price_id / previous_plan_id, else the plan of the subscription''s last paid invoice (reason previous_plan_unknown and 0 without one). Returns {credits, prorated, expected_cents?, previous_plan_id?, reason?}. Internal.';
revoke execute on function billing.invoice_credits(jsonb, public.plans, public.subscriptions) from public, anon, authenticated, service_role;

-- The payment row and its lot: a purchase (ledger kind) whose lot is a subscription lot expiring
-- at the period end, carrying the plan's rollover terms for the period-end run.
create or replace function billing.invoice_grant(
  p_invoice jsonb,
  p_plan public.plans,
  p_sub public.subscriptions,
  p_credits integer,
  p_expected_cents integer,
  p_actor text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice_id text := p_invoice ->> 'invoice_id';
  v_amount integer := (p_invoice ->> 'amount_paid')::integer;
  v_currency text := pg_catalog.lower(p_invoice ->> 'currency');
  v_user_id uuid := coalesce(p_sub.user_id, billing.jsonb_uuid(p_invoice, 'user_id'));
  v_team_id uuid := case when p_sub.id is not null then p_sub.team_id else billing.jsonb_uuid(p_invoice, 'team_id') end;
  v_payment public.payments;
  v_credit jsonb;
  v_mismatch boolean;
begin
  -- The price is checked on the period line's own amount when the event gives it: amount_paid
  -- also moves with exclusive tax, coupons and a customer balance, none of which changes what the
  -- period is worth in credits (without the line, the amount paid must be the price).
  v_mismatch := v_currency is distinct from p_plan.currency
                or (p_expected_cents is not null
                    and coalesce((p_invoice ->> 'line_amount')::integer, v_amount) is distinct from p_expected_cents);
  insert into public.payments (user_id, team_id, plan_id, provider, provider_session_id, provider_payment_intent,
                               credits, amount_cents, currency, status, purpose, subscription_id, paid_at, failure_reason)
  values (v_user_id, v_team_id, p_plan.id,
          coalesce(p_sub.provider, case when v_invoice_id like 'in\_local\_%' then 'local' else 'stripe' end),
          v_invoice_id, p_invoice ->> 'payment_intent', p_credits, v_amount, coalesce(v_currency, p_plan.currency),
          case when v_mismatch then 'failed' else 'paid' end, 'subscription', p_sub.id,
          case when not v_mismatch then pg_catalog.now() end,
          case when v_mismatch then pg_catalog.format('amount_mismatch: paid %s %s (line %s), expected %s %s',
            v_amount, coalesce(v_currency, 'null'), coalesce(p_invoice ->> 'line_amount', 'not given'),
            coalesce(p_expected_cents::text, 'more than 0'), p_plan.currency) end)
  returning * into strict v_payment;
  if v_mismatch then
    return billing.payment_summary(v_payment) || '{"credited": 0}'::jsonb;
  end if;
  v_credit := billing.apply_credit_change(
    p_user_id => v_payment.wallet_id, p_delta => p_credits, p_kind => 'purchase', p_actor => p_actor,
    p_reason => pg_catalog.left(p_plan.name || case when p_expected_cents is null then ' upgrade (prorated)' else ' subscription' end,
                                billing.max_ledger_text_length()),
    p_reference => 'payment:' || v_payment.id::text,
    p_payment_id => v_payment.id,
    p_idempotency_key => pg_catalog.format('payment:%s:purchase', v_payment.id),
    p_expires_at => billing.jsonb_time(p_invoice, 'period_end'),
    p_lot_source => 'subscription');
  -- The lot's rollover terms are not credits: the guard lets them be written after it was made.
  update public.credit_lots l
     set rollover_limit = p_plan.rollover_cap, rollover_expires_after = p_plan.rollover_expires_after
   where l.id = (v_credit ->> 'lot_id')::bigint and p_plan.period_end_policy = 'rollover';
  -- A refund that arrived first (by payment intent or invoice id) is applied now.
  v_payment := billing.apply_early_refunds(v_payment.id, p_actor);
  return billing.payment_summary(v_payment)
    || pg_catalog.jsonb_build_object('credited', p_credits, 'ledger_id', v_credit -> 'ledger_id', 'lot_id', v_credit -> 'lot_id',
         'balance', (select w.credits from billing.wallets w where w.id = v_payment.wallet_id));
end;
$$;
comment on function billing.invoice_grant(jsonb, public.plans, public.subscriptions, integer, integer, text) is
  'apply_invoice_paid''s grant: records the invoice as a payment (purpose subscription, provider_session_id = invoice id, provider_payment_intent, credits, amount_paid) and, when amount and currency match (p_expected_cents, or any amount for a proration) credits it: ledger kind purchase (key payment:<id>:purchase), lot source subscription expiring at period_end with the plan''s rollover terms; then applies refunds that came first. A mismatch is recorded as failed with failure_reason amount_mismatch: … and credits nothing. Internal.';
revoke execute on function billing.invoice_grant(jsonb, public.plans, public.subscriptions, integer, integer, text) from public, anon, authenticated, service_role;

create or replace function billing.check_invoice(p_invoice jsonb)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_invoice is null or pg_catalog.jsonb_typeof(p_invoice) <> 'object' then
    perform billing.raise_invalid_argument('invoice', 'invoice must be a JSON object.');
  end if;
  perform billing.check_text('invoice_id', p_invoice ->> 'invoice_id', true, billing.max_provider_ref_length());
  perform billing.check_text('subscription_id', p_invoice ->> 'subscription_id', true, billing.max_provider_ref_length());
  perform billing.check_text('payment_intent', p_invoice ->> 'payment_intent', false, billing.max_provider_ref_length());
  if pg_catalog.jsonb_typeof(p_invoice -> 'amount_paid') is distinct from 'number'
     or (p_invoice ->> 'amount_paid')::numeric <> pg_catalog.trunc((p_invoice ->> 'amount_paid')::numeric)
     or (p_invoice ->> 'amount_paid')::numeric not between 0 and 2147483647 then
    perform billing.raise_invalid_argument('amount_paid', 'amount_paid is the amount in minor units (a whole number, 0 or more).');
  end if;
  if p_invoice ? 'line_amount' and p_invoice -> 'line_amount' <> 'null'::jsonb
     and (pg_catalog.jsonb_typeof(p_invoice -> 'line_amount') <> 'number'
          or (p_invoice ->> 'line_amount')::numeric <> pg_catalog.trunc((p_invoice ->> 'line_amount')::numeric)
          or (p_invoice ->> 'line_amount')::numeric not between -2147483648 and 2147483647) then
    perform billing.raise_invalid_argument('line_amount', 'line_amount is the period line''s amount in minor units (a whole number).');
  end if;
  if billing.jsonb_time(p_invoice, 'event_created') is null then
    perform billing.raise_invalid_argument('event_created', 'event_created (the event''s creation time) is required.');
  end if;
end;
$$;
comment on function billing.check_invoice(jsonb) is
  'Validates the invoice object of apply_invoice_paid / apply_invoice_failed: invoice_id and subscription_id required, amount_paid a whole number >= 0 (in minor units), line_amount (optional) a whole number, event_created present; else 22023 invalid_<key>.';
revoke execute on function billing.check_invoice(jsonb) from public, anon, authenticated, service_role;

create or replace function public.apply_invoice_paid(event_id text, invoice jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor text := billing.require_service_role();
  v_inv jsonb := apply_invoice_paid.invoice;
  v_at timestamptz;
  v_replay jsonb;
  v_plan public.plans;
  v_sub public.subscriptions;
  v_payment public.payments;
  v_grant jsonb;
  v_outcome jsonb;
begin
  perform billing.check_text('event_id', event_id, true, billing.max_event_id_length());
  perform billing.check_invoice(v_inv);
  v_at := billing.jsonb_time(v_inv, 'event_created');
  -- The lot expires at the period end: an invoice without one would grant credits that never do.
  -- ... and no lot may outlive billing.max_credit_lifetime() (billing.check_expires_at's bound).
  if billing.jsonb_time(v_inv, 'period_end') is null
     or not pg_catalog.isfinite(billing.jsonb_time(v_inv, 'period_end'))
     or billing.jsonb_time(v_inv, 'period_end') > pg_catalog.now() + billing.max_credit_lifetime() then
    perform billing.raise_invalid_argument('period_end',
      'period_end (the end of the subscription line''s period) is required, at most ' || billing.max_credit_lifetime() || ' ahead.');
  end if;

  v_replay := billing.event_begin(apply_invoice_paid.event_id, 'invoice.paid');
  if v_replay is not null then
    return v_replay;
  end if;

  -- The locks refund_payment takes (intent, then invoice id), so a refund is either kept before
  -- this looks for it or waits until this has committed.
  if v_inv ->> 'payment_intent' is not null then
    perform billing.payment_ref_lock(v_inv ->> 'payment_intent');
  end if;
  perform billing.payment_ref_lock(v_inv ->> 'invoice_id');
  -- A payment intent pays one payment: one another payment has means a wrong or forged invoice,
  -- and the same answer on every retry (the webhook records the rejection).
  if exists (select 1 from public.payments p
              where p.provider_payment_intent = v_inv ->> 'payment_intent'
                and p.provider_session_id is distinct from v_inv ->> 'invoice_id') then
    raise exception using
      errcode = 'PT409',
      message = 'payment_intent_in_use',
      detail = pg_catalog.jsonb_build_object('invoice_id', v_inv ->> 'invoice_id', 'payment_intent', v_inv ->> 'payment_intent')::text,
      hint = 'Another payment already has this payment intent: nothing was credited; support checks the invoice at the provider.';
  end if;
  v_plan := billing.subscription_plan_of(v_inv);
  v_sub := billing.subscription_for_event(v_inv, v_plan);
  if v_plan.id is null and v_sub.id is not null then
    select * into v_plan from public.plans p where p.id = v_sub.plan_id;
  end if;
  if v_sub.id is null
     and (v_plan.id is null
          or not exists (select 1 from public.users u where u.id = billing.jsonb_uuid(v_inv, 'user_id'))
          or (billing.jsonb_uuid(v_inv, 'team_id') is not null
              and not exists (select 1 from public.teams t where t.id = billing.jsonb_uuid(v_inv, 'team_id')))) then
    v_outcome := pg_catalog.jsonb_build_object('subscription_id', null, 'payment_id', null, 'status', 'unknown_subscription',
      'invoice_id', v_inv ->> 'invoice_id', 'credited', 0);
    return billing.event_finish(apply_invoice_paid.event_id, v_outcome, null);
  end if;
  if v_sub.id is null then
    -- Another subscription is live in the wallet (or the row could not be made): the money was
    -- paid, so the credits still go to the wallet the metadata names.
    perform billing.lock_wallet(coalesce(billing.jsonb_uuid(v_inv, 'team_id'), billing.jsonb_uuid(v_inv, 'user_id')));
  elsif (v_inv ->> 'amount_paid')::integer > 0 then
    -- A paid invoice says "active" at its time; a plan only when no subscription event came yet.
    if v_sub.last_event_at is null and (v_sub.status_at is null or v_at >= v_sub.status_at) then
      update public.subscriptions s set plan_id = v_plan.id where s.id = v_sub.id returning * into strict v_sub;
    end if;
    v_sub := billing.subscription_set_status(v_sub, 'active', v_at);
    v_sub := billing.subscription_set_period(v_sub, billing.jsonb_time(v_inv, 'period_start'), billing.jsonb_time(v_inv, 'period_end'));
    perform billing.notify_subscription_changed(v_sub);
  end if;

  select * into v_payment from public.payments p where p.provider_session_id = v_inv ->> 'invoice_id' for update;
  if v_payment.id is not null then
    -- Granted before (another event of the same invoice): nothing twice; a payment intent learnt
    -- now lets the refunds kept under it apply.
    v_outcome := billing.checkout_already_settled(v_payment, v_inv ->> 'payment_intent', v_actor);
  else
    v_grant := billing.invoice_credits(v_inv, v_plan, v_sub);
    if (v_grant ->> 'credits')::integer = 0 or (v_inv ->> 'amount_paid')::integer = 0 then
      -- Nothing to grant (a downgrade, a free invoice): no payment row, the event is recorded.
      v_outcome := pg_catalog.jsonb_build_object('payment_id', null, 'status', 'not_granted', 'credited', 0,
        'reason', coalesce(v_grant ->> 'reason', case when (v_inv ->> 'amount_paid')::integer = 0 then 'nothing_paid' end));
    else
      v_outcome := billing.invoice_grant(v_inv, v_plan, v_sub, (v_grant ->> 'credits')::integer,
                                         (v_grant ->> 'expected_cents')::integer, v_actor);
    end if;
    v_outcome := v_outcome || (v_grant - 'credits' - 'expected_cents' - 'reason');
  end if;
  v_outcome := v_outcome || pg_catalog.jsonb_build_object('subscription_id', v_sub.id,
    'subscription_status', coalesce(v_sub.status, billing.subscription_miss(v_inv)),
    'invoice_id', v_inv ->> 'invoice_id');
  return billing.event_finish(apply_invoice_paid.event_id, v_outcome, (v_outcome ->> 'payment_id')::uuid);
end;
$$;
comment on function public.apply_invoice_paid(text, jsonb) is
  'Service role only (stripe-webhook: invoice.paid). invoice keys: invoice_id, subscription_id (required), customer_id, payment_intent, amount_paid (minor units), line_amount (the period line''s own amount: the price is checked on it when given, as tax, coupons and a customer balance move amount_paid), currency, billing_reason, period_start, period_end (the subscription line''s period), price_id / lookup_key / plan_id, previous_price_id / previous_lookup_key / previous_plan_id (an upgrade''s unused-time line), user_id, team_id (metadata), event_created. Grants once per invoice id: a payments row (purpose subscription, provider_session_id = invoice id) and a lot (source subscription) expiring at period_end with the plan''s rollover terms; a cycle/create invoice grants the plan''s credits when its period line (else its amount paid) is the plan''s price in its currency and something was paid; a subscription_update invoice grants floor((new - old credits) * line period / plan interval) for any amount > 0 in the plan''s currency, a downgrade nothing (status not_granted, reason downgrade). A mismatch records the payment as failed (failure_reason amount_mismatch: …) and credits nothing. Creates the subscription from the metadata when no event came yet; a paid invoice makes it active (billing.subscription_status_wins) and moves its period forward. Refunds: refund_payment by payment intent. Returns {payment_id, status, credited, balance, lot_id, subscription_id, subscription_status, invoice_id, prorated, ..., replayed}; status unknown_subscription when it names nothing of ours. Errors: 22023 invalid_event_id, invalid_invoice, invalid_invoice_id, invalid_subscription_id, invalid_payment_intent, invalid_amount_paid, invalid_line_amount, invalid_event_created, invalid_period_end (missing, or more than billing.max_credit_lifetime() ahead); PT409 payment_intent_in_use (another payment has the payment intent).';
revoke execute on function public.apply_invoice_paid(text, jsonb) from public, anon, authenticated;
grant execute on function public.apply_invoice_paid(text, jsonb) to service_role;

-- ---------------------------------------------------------------------------------------------
-- apply_invoice_failed: a renewal's payment failed; past due, and the owner hears of it once
-- ---------------------------------------------------------------------------------------------

insert into billing.email_templates (name, description, required_params, secret_params) values
  ('subscription_payment_failed', 'Tells a workspace''s owner that a subscription payment failed: the plan, the workspace, the amount, and the link ${SITE_URL}/billing to update the card (optional param next_attempt_at).',
   array['plan_name', 'workspace_name', 'amount_cents', 'currency'], array[]::text[])
on conflict (name) do update
  set description = excluded.description, required_params = excluded.required_params, secret_params = excluded.secret_params;

create or replace function public.apply_invoice_failed(event_id text, invoice jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_inv jsonb := apply_invoice_failed.invoice;
  v_at timestamptz;
  v_replay jsonb;
  v_plan public.plans;
  v_sub public.subscriptions;
  v_to text;
  v_workspace text;
  v_mail uuid;
  v_outcome jsonb;
begin
  perform billing.require_service_role();
  perform billing.check_text('event_id', event_id, true, billing.max_event_id_length());
  perform billing.check_invoice(v_inv);
  v_at := billing.jsonb_time(v_inv, 'event_created');

  v_replay := billing.event_begin(apply_invoice_failed.event_id, 'invoice.payment_failed');
  if v_replay is not null then
    return v_replay;
  end if;

  v_plan := billing.subscription_plan_of(v_inv);
  v_sub := billing.subscription_for_event(v_inv, v_plan);
  if v_sub.id is null then
    v_outcome := pg_catalog.jsonb_build_object('subscription_id', null, 'payment_id', null, 'status', billing.subscription_miss(v_inv),
      'invoice_id', v_inv ->> 'invoice_id', 'credited', 0);
    return billing.event_finish(apply_invoice_failed.event_id, v_outcome, null);
  end if;
  v_sub := billing.subscription_set_status(v_sub, 'past_due', v_at);
  perform billing.notify_subscription_changed(v_sub);

  -- The mail goes to the buyer while they may manage it, else to the team's first owner; once
  -- per invoice (Stripe retries a failed renewal several times, each its own event).
  select u.email, coalesce(t.name, 'your personal workspace') into v_to, v_workspace
    from public.users u
    left join public.teams t on t.id = v_sub.team_id
   where u.id = case when v_sub.team_id is null
                       or exists (select 1 from public.team_members m where m.team_id = v_sub.team_id
                                    and m.user_id = v_sub.user_id and m.role in ('owner', 'admin'))
                     then v_sub.user_id
                     else (select m.user_id from public.team_members m where m.team_id = v_sub.team_id and m.role = 'owner'
                            order by m.created_at, m.user_id limit 1) end;
  if v_to is not null then
    v_mail := billing.enqueue_email(v_to, 'subscription_payment_failed',
      pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
        'plan_name', (select p.name from public.plans p where p.id = v_sub.plan_id),
        'workspace_name', v_workspace,
        'amount_cents', coalesce((v_inv ->> 'amount_due')::integer, (select p.price_cents from public.plans p where p.id = v_sub.plan_id)),
        'currency', coalesce(pg_catalog.lower(v_inv ->> 'currency'), (select p.currency from public.plans p where p.id = v_sub.plan_id)),
        'next_attempt_at', billing.jsonb_time(v_inv, 'next_payment_attempt'))),
      'subscription_payment_failed:' || (v_inv ->> 'invoice_id'));
  end if;
  v_outcome := billing.subscription_summary(v_sub)
    || pg_catalog.jsonb_build_object('credited', 0, 'payment_id', null, 'invoice_id', v_inv ->> 'invoice_id', 'email_id', v_mail);
  return billing.event_finish(apply_invoice_failed.event_id, v_outcome, null);
end;
$$;
comment on function public.apply_invoice_failed(text, jsonb) is
  'Service role only (stripe-webhook: invoice.payment_failed). invoice keys as for apply_invoice_paid (amount_due and next_payment_attempt optional). Marks the subscription past_due unless a newer event said otherwise (billing.subscription_status_wins), creating it from the metadata if needed, and mails the buyer (for a team: the buyer while owner or admin, else its first owner) once per invoice (outbox template subscription_payment_failed, dedupe key subscription_payment_failed:<invoice id>). Credits nothing. Returns {subscription_id, status, ..., credited: 0, payment_id: null, invoice_id, email_id, replayed}; status unknown_subscription when it names nothing of ours. Errors: as apply_invoice_paid.';
revoke execute on function public.apply_invoice_failed(text, jsonb) from public, anon, authenticated;
grant execute on function public.apply_invoice_failed(text, jsonb) to service_role;

-- ---------------------------------------------------------------------------------------------
-- subscription_status: the billing page's Subscription card
-- ---------------------------------------------------------------------------------------------

create or replace function public.subscription_status(team_id uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_team_id uuid := subscription_status.team_id;
  v_role text := case when v_team_id is not null then billing.require_team_role(v_team_id, 'member') end;
  v_sub public.subscriptions;
  v_plan public.plans;
  v_lots record;
begin
  -- The live subscription the provider knows of (an open checkout is not one yet).
  select * into v_sub from public.subscriptions s
   where s.wallet_id = coalesce(v_team_id, v_user_id)
     and (v_team_id is not null or s.team_id is null)
     and s.status not in ('canceled', 'incomplete_expired') and s.provider_subscription_id is not null;
  if v_sub.id is null then
    return null;
  end if;
  select * into strict v_plan from public.plans p where p.id = v_sub.plan_id;
  -- The current period's subscription lots with credits left (expiring after its start and by its
  -- end; an earlier period's lot, due at this period's start and live until the expiry run takes
  -- it, is not this period's): what goes at the period end, and what of it rolls over (each lot
  -- up to its cap).
  select coalesce(pg_catalog.sum(l.remaining), 0)::integer as remaining,
         coalesce(pg_catalog.sum(least(l.remaining, coalesce(l.rollover_limit, 0))), 0)::integer as rolling
    into v_lots
    from public.credit_lots l
   where l.user_id = v_sub.wallet_id and l.source = 'subscription' and l.remaining > 0
     and l.expires_at > greatest(pg_catalog.now(), v_sub.current_period_start)
     and l.expires_at <= v_sub.current_period_end;
  return pg_catalog.jsonb_build_object(
    'subscription_id', v_sub.id,
    'plan_id', v_plan.id,
    'plan_name', v_plan.name,
    'status', v_sub.status,
    'billing_interval', v_plan.billing_interval,
    'credits_per_period', v_plan.credits,
    'price_cents', v_plan.price_cents,
    'currency', v_plan.currency,
    'current_period_end', v_sub.current_period_end,
    'cancel_at_period_end', v_sub.cancel_at_period_end,
    'period_end_policy', v_plan.period_end_policy,
    'expiring_at_period_end', v_lots.remaining - v_lots.rolling,
    'rolling_over_at_period_end', v_lots.rolling,
    'rollover_expires_at', case when v_lots.rolling > 0 then v_sub.current_period_end + v_plan.rollover_expires_after end,
    'can_manage', v_team_id is null or v_role in ('owner', 'admin'));
end;
$$;
comment on function public.subscription_status(uuid) is
  'The Subscription card of a workspace (personal: team_id null; a team: its members): null when it has no live subscription; else {subscription_id, plan_id, plan_name, status, billing_interval, credits_per_period, price_cents, currency, current_period_end, cancel_at_period_end, period_end_policy, expiring_at_period_end (credits of the period''s subscription lots that expire at its end), rolling_over_at_period_end (what of them rolls over: per lot min(remaining, cap)), rollover_expires_at (null when nothing rolls over), can_manage (owners and admins of a team; the recruiter for a personal one)}. Errors: 42501 not_signed_in, not_team_member.';
revoke execute on function public.subscription_status(uuid) from public, anon, authenticated, service_role;
grant execute on function public.subscription_status(uuid) to authenticated;
