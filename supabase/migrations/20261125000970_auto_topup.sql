-- Auto top-up: "when available credits fall below N, buy pack P", charged off-session to the
-- wallet's saved card, with a monthly cap on what may be charged.
--
-- The spend never waits on the provider: the threshold is mirrored on the wallet row
-- (users/teams.auto_topup_threshold, null when off or stopped), and an AFTER UPDATE trigger whose
-- WHEN clause is true only when a change takes the balance across it inserts one request row
-- (billing.topup_requests; at most one queued or charging per wallet). The Edge Function
-- auto-topup claims requests (public.claim_topup_requests: lease, SKIP LOCKED, the cap counted
-- under the settings row's lock, a pending payment recorded), charges the saved card through the
-- provider, and records the outcome (public.settle_auto_topup), as the webhook does for
-- payment_intent.succeeded / payment_intent.payment_failed: once per payment whoever reports it.
-- A decline, a required authentication or the monthly cap stops auto top-up and mails the
-- owner(s) instead of retrying. supabase/README.md, "Auto top-up", says how it runs.

/**
  * Section - Payments: purpose, saved cards
 */

-- payments.purpose and public.billing_customers come from 20261125000960_subscriptions.sql; this
-- file adds the 'auto_topup' purpose and uses the customers' saved card.
alter table public.payments drop constraint payments_purpose_check;
alter table public.payments add constraint payments_purpose_check check (purpose in ('pack', 'subscription', 'auto_topup'));
comment on column public.payments.purpose is
  'What the payment bought: pack (a checkout of a pack or tier), subscription (a paid subscription invoice) or auto_topup (an off-session charge of the saved card when the balance fell below the auto top-up threshold; provider_session_id is then topup:<request id>).';
-- The cap's count: a wallet's auto top-ups of this month.
create index payments_auto_topup_wallet_idx on public.payments (wallet_id, created_at) where purpose = 'auto_topup';
comment on column public.billing_customers.default_payment_method is
  'The saved card charged off-session by auto top-up (Stripe pm_...; locally pm_card_visa, pm_card_chargeCustomerFail or pm_card_authenticationRequired), recorded when a checkout saved it (payment_intent.succeeded with setup_future_usage off_session); null: none saved.';

/**
  * Section - Settings
 */

create table public.auto_topup_settings (
  wallet_id uuid primary key,
  team_id uuid references public.teams (id),
  threshold integer not null check (threshold between 1 and 10000),
  plan_id text not null references public.plans (id),
  monthly_cap_cents integer not null check (monthly_cap_cents between 1 and 100000000),
  status text not null default 'on' check (status in ('on', 'off', 'stopped')),
  stopped_reason text check (stopped_reason in ('declined', 'authentication_required', 'monthly_cap_reached', 'no_payment_method', 'plan_unavailable')),
  stopped_detail text check (pg_catalog.char_length(stopped_detail) <= 1000),
  stopped_at timestamptz,
  updated_by uuid not null references public.users (id),
  created_at timestamptz not null default pg_catalog.now(),
  updated_at timestamptz not null default pg_catalog.now(),
  constraint auto_topup_settings_stopped_with_reason check ((status = 'stopped') = (stopped_reason is not null and stopped_at is not null)),
  constraint auto_topup_settings_wallet_is_team check (team_id is null or team_id = wallet_id)
);
comment on table public.auto_topup_settings is
  'Auto top-up of a wallet: when available credits fall below threshold, buy plan_id off-session with the saved card (public.billing_customers), at most monthly_cap_cents per calendar month (UTC). Set with set_auto_topup / disable_auto_topup; read with auto_topup_status. The threshold is mirrored on the wallet row (auto_topup_threshold) while status is on.';
comment on column public.auto_topup_settings.wallet_id is 'The wallet topped up: public.users.id (personal) or public.teams.id.';
comment on column public.auto_topup_settings.team_id is 'The team, for a team wallet (= wallet_id); null for a personal one.';
comment on column public.auto_topup_settings.threshold is 'A change that takes available credits from >= threshold to < threshold starts one top-up.';
comment on column public.auto_topup_settings.plan_id is 'The pack bought each time (public.plans, kind pack).';
comment on column public.auto_topup_settings.monthly_cap_cents is 'Most that auto top-ups may charge per calendar month (UTC), in the plan''s currency''s minor units; charged + in flight + the next pack never exceeds it.';
comment on column public.auto_topup_settings.status is 'on; off (disabled by an owner/admin); stopped (by a decline, a required authentication, the monthly cap, a missing card or plan: see stopped_reason; set it again to resume; a cap stop resumes by itself next month).';
comment on column public.auto_topup_settings.stopped_reason is 'Why it stopped: declined, authentication_required, monthly_cap_reached, no_payment_method or plan_unavailable; null unless stopped.';
comment on column public.auto_topup_settings.stopped_detail is 'The provider''s message or our explanation, for support and the billing page.';
comment on column public.auto_topup_settings.stopped_at is 'When it stopped; null unless stopped.';
comment on column public.auto_topup_settings.updated_by is 'Who last set it (the buyer of record of its payments: public.payments.user_id).';
comment on column public.auto_topup_settings.created_at is 'When it was first set.';
comment on column public.auto_topup_settings.updated_at is 'When it last changed.';
create index auto_topup_settings_team_id_idx on public.auto_topup_settings (team_id) where team_id is not null;
create index auto_topup_settings_plan_id_idx on public.auto_topup_settings (plan_id);
create index auto_topup_settings_updated_by_idx on public.auto_topup_settings (updated_by);
-- The claim's re-arm of wallets stopped by last month's cap.
create index auto_topup_settings_capped_idx on public.auto_topup_settings (stopped_at) where stopped_reason = 'monthly_cap_reached';

create trigger auto_topup_settings_touch_updated_at
  before update on public.auto_topup_settings
  for each row execute function billing.touch_updated_at();

alter table public.auto_topup_settings enable row level security;
-- Read through auto_topup_status (which adds the month's charges and the role); the table itself
-- is for support in the dashboard.
revoke all on table public.auto_topup_settings from public, anon, authenticated, service_role;

alter table public.users add column auto_topup_threshold integer check (auto_topup_threshold > 0);
comment on column public.users.auto_topup_threshold is
  'Mirror of public.auto_topup_settings.threshold while auto top-up is on (null otherwise), so the trigger that starts a top-up is skipped by its WHEN clause on every spend that does not cross it. Written only by the auto top-up functions.';
alter table public.teams add column auto_topup_threshold integer check (auto_topup_threshold > 0);
comment on column public.teams.auto_topup_threshold is
  'Mirror of public.auto_topup_settings.threshold while auto top-up is on (null otherwise); see public.users.auto_topup_threshold.';

/**
  * Section - Requests (the outbox the auto-topup function reads)
 */

create table billing.topup_requests (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  wallet_id uuid not null,
  status text not null default 'queued' check (status in ('queued', 'charging', 'succeeded', 'failed', 'skipped')),
  cause text not null check (cause in ('crossing', 'enabled')),
  balance_at_request integer not null,
  payment_id uuid unique references public.payments (id),
  attempts integer not null default 0 check (attempts >= 0),
  locked_until timestamptz,
  outcome text check (pg_catalog.char_length(outcome) <= 1000),
  created_at timestamptz not null default pg_catalog.now(),
  finished_at timestamptz,
  constraint topup_requests_charging_has_payment check (status <> 'charging' or (payment_id is not null and locked_until is not null)),
  constraint topup_requests_finished_at check ((status in ('succeeded', 'failed', 'skipped')) = (finished_at is not null))
);
comment on table billing.topup_requests is
  'One row per auto top-up started: written by the trigger when a change crosses the wallet''s threshold (or by set_auto_topup when the balance is already below it), claimed and charged by the auto-topup Edge Function. At most one queued or charging per wallet.';
comment on column billing.topup_requests.id is 'Request id; the payment''s provider_session_id is topup:<id>, also the provider''s idempotency key.';
comment on column billing.topup_requests.wallet_id is 'The wallet to top up.';
comment on column billing.topup_requests.status is 'queued (waiting for the function), charging (claimed, payment pending, leased until locked_until), succeeded (credited), failed (declined / authentication required), skipped (not charged: off, stopped, cap, no card).';
comment on column billing.topup_requests.cause is 'crossing (a change took the balance below the threshold) or enabled (set while already below it).';
comment on column billing.topup_requests.balance_at_request is 'Available credits right after the change that crossed the threshold.';
comment on column billing.topup_requests.payment_id is 'The pending/paid/failed auto_topup payment, once claimed.';
comment on column billing.topup_requests.attempts is 'Claims so far (a claim whose lease ran out is claimed again; the idempotency key charges once).';
comment on column billing.topup_requests.locked_until is 'Lease of the function that claimed it.';
comment on column billing.topup_requests.outcome is 'What happened, for support (e.g. the decline message, or why it was skipped).';
comment on column billing.topup_requests.created_at is 'When the threshold was crossed.';
comment on column billing.topup_requests.finished_at is 'When it succeeded, failed or was skipped.';
-- Never more than one in flight per wallet: the trigger inserts `on conflict do nothing`.
create unique index topup_requests_one_in_flight_idx on billing.topup_requests (wallet_id) where status in ('queued', 'charging');
create index topup_requests_due_idx on billing.topup_requests (created_at) where status in ('queued', 'charging');
create index topup_requests_wallet_idx on billing.topup_requests (wallet_id, created_at desc);
alter table billing.topup_requests enable row level security;
revoke all on table billing.topup_requests from public, anon, authenticated, service_role;

create or replace function billing.topup_lease()
returns interval
language sql
immutable
parallel safe
set search_path = ''
as $$
  select interval '2 minutes';
$$;
comment on function billing.topup_lease() is
  'How long a claimed top-up belongs to the function run that claimed it (a charge takes seconds); after it the request is claimed again and charged with the same idempotency key, so it is charged once.';
revoke execute on function billing.topup_lease() from public, anon, authenticated, service_role;

-- The trigger: runs only when the WHEN clause saw a crossing, so a spend that does not cross pays
-- for the WHEN test alone.
create or replace function billing.queue_auto_topup()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into billing.topup_requests (wallet_id, cause, balance_at_request)
  values (new.id, 'crossing', new.credits)
  on conflict (wallet_id) where status in ('queued', 'charging') do nothing;
  return null;
end;
$$;
comment on function billing.queue_auto_topup() is
  'Trigger (AFTER UPDATE OF credits on public.users / public.teams, WHEN the change takes credits from >= auto_topup_threshold to below it): queues one top-up request, none when one is already queued or charging for the wallet.';
revoke execute on function billing.queue_auto_topup() from public, anon, authenticated, service_role;

create trigger users_auto_topup_crossing
  after update of credits on public.users
  for each row
  when (old.credits >= new.auto_topup_threshold and new.credits < new.auto_topup_threshold)
  execute function billing.queue_auto_topup();

create trigger teams_auto_topup_crossing
  after update of credits on public.teams
  for each row
  when (old.credits >= new.auto_topup_threshold and new.credits < new.auto_topup_threshold)
  execute function billing.queue_auto_topup();

-- A deleted team's card must not be charged any more: nobody can see the credits, turn auto
-- top-up off or use them. delete_team (which sets deleted_at under the wallet's lock) turns it off
-- and drops a queued request; a request being charged may already be at the provider, so the
-- deletion waits until it is settled (its credits would land in a wallet nobody can reach).
create or replace function billing.stop_auto_topup_of_deleted_team()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from billing.topup_requests r where r.wallet_id = new.id and r.status = 'charging') then
    raise exception using
      errcode = 'PT409',
      message = 'team_topup_in_flight',
      detail = pg_catalog.jsonb_build_object('team_id', new.id)::text,
      hint = 'An automatic top-up of this team is being charged right now: try again in a minute.';
  end if;
  update public.auto_topup_settings s
     set status = 'off', stopped_reason = null, stopped_detail = null, stopped_at = null
   where s.wallet_id = new.id and s.status <> 'off';
  update billing.topup_requests r
     set status = 'skipped', outcome = 'the team was deleted', finished_at = pg_catalog.now()
   where r.wallet_id = new.id and r.status = 'queued';
  new.auto_topup_threshold := null;
  return new;
end;
$$;
comment on function billing.stop_auto_topup_of_deleted_team() is
  'Trigger (BEFORE UPDATE OF deleted_at on public.teams, when a team is deleted): turns its auto top-up off, clears the threshold mirror and skips a queued request, so its card is never charged again; refuses the deletion (PT409 team_topup_in_flight) while a top-up is being charged.';
revoke execute on function billing.stop_auto_topup_of_deleted_team() from public, anon, authenticated, service_role;

create trigger teams_stop_auto_topup_on_delete
  before update of deleted_at on public.teams
  for each row
  when (old.deleted_at is null and new.deleted_at is not null)
  execute function billing.stop_auto_topup_of_deleted_team();

/**
  * Section - Internal helpers
 */

create or replace function billing.set_wallet_topup_threshold(p_wallet_id uuid, p_threshold integer)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.users u set auto_topup_threshold = p_threshold
   where u.id = p_wallet_id and u.auto_topup_threshold is distinct from p_threshold;
  if not found then
    update public.teams t set auto_topup_threshold = p_threshold
     where t.id = p_wallet_id and t.auto_topup_threshold is distinct from p_threshold;
  end if;
end;
$$;
comment on function billing.set_wallet_topup_threshold(uuid, integer) is
  'Writes the wallet row''s mirror of the auto top-up threshold (null: off or stopped).';
revoke execute on function billing.set_wallet_topup_threshold(uuid, integer) from public, anon, authenticated, service_role;

create or replace function billing.auto_topup_charged_this_month(p_wallet_id uuid)
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  -- Pending (in flight) and paid auto top-ups of this calendar month count; failed ones charged
  -- nothing; refunded money is not charged any more.
  select coalesce(pg_catalog.sum(p.amount_cents - p.amount_refunded_cents), 0)::bigint
    from public.payments p
   where p.wallet_id = p_wallet_id and p.purpose = 'auto_topup' and p.status <> 'failed'
     and p.created_at >= (billing.current_month()::timestamp at time zone 'UTC');
$$;
comment on function billing.auto_topup_charged_this_month(uuid) is
  'What auto top-ups charged or are charging this calendar month (UTC) for the wallet, in minor units (pending + paid, less refunds).';
revoke execute on function billing.auto_topup_charged_this_month(uuid) from public, anon, authenticated, service_role;

create or replace function billing.wallet_owner_emails(p_wallet_id uuid)
returns setof text
language sql
stable
security definer
set search_path = ''
as $$
  select u.email from public.users u where u.id = p_wallet_id and u.email is not null
  union
  select u.email from public.team_members m join public.users u on u.id = m.user_id
   where m.team_id = p_wallet_id and m.role = 'owner' and u.email is not null;
$$;
comment on function billing.wallet_owner_emails(uuid) is
  'Who is told about the wallet''s money: the recruiter of a personal wallet, the owners of a team''s.';
revoke execute on function billing.wallet_owner_emails(uuid) from public, anon, authenticated, service_role;

-- Stops auto top-up and tells the owner(s): one mail per stop (dedupe on p_dedupe).
create or replace function billing.stop_auto_topup(p_wallet_id uuid, p_reason text, p_detail text, p_dedupe text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_settings public.auto_topup_settings;
  v_plan public.plans;
  v_workspace text;
  v_to text;
begin
  update public.auto_topup_settings s
     set status = 'stopped', stopped_reason = p_reason, stopped_detail = pg_catalog.left(p_detail, 1000), stopped_at = pg_catalog.now()
   where s.wallet_id = p_wallet_id and s.status = 'on'
  returning * into v_settings;
  if not found then
    return;
  end if;
  perform billing.set_wallet_topup_threshold(p_wallet_id, null);
  if p_reason not in ('declined', 'authentication_required', 'monthly_cap_reached') then
    return;
  end if;
  select * into strict v_plan from public.plans p where p.id = v_settings.plan_id;
  v_workspace := coalesce((select t.name from public.teams t where t.id = v_settings.team_id), 'your personal workspace');
  for v_to in select billing.wallet_owner_emails(p_wallet_id) loop
    perform billing.enqueue_email(v_to,
      case p_reason when 'declined' then 'auto_topup_declined'
                    when 'authentication_required' then 'auto_topup_authentication_required'
                    else 'auto_topup_cap_reached' end,
      pg_catalog.jsonb_build_object('workspace', v_workspace, 'team_id', v_settings.team_id, 'credits', v_plan.credits,
        'amount_cents', v_plan.price_cents, 'currency', v_plan.currency, 'monthly_cap_cents', v_settings.monthly_cap_cents,
        'threshold', v_settings.threshold, 'detail', coalesce(p_detail, '')),
      p_dedupe || ':' || v_to);
  end loop;
end;
$$;
comment on function billing.stop_auto_topup(uuid, text, text, text) is
  'Stops a wallet''s auto top-up (status stopped, the reason, the wallet mirror cleared) and, for declined / authentication_required / monthly_cap_reached, mails the owner(s) (templates auto_topup_declined, auto_topup_authentication_required, auto_topup_cap_reached; dedupe p_dedupe:<address>). Nothing when it is not on.';
revoke execute on function billing.stop_auto_topup(uuid, text, text, text) from public, anon, authenticated, service_role;

create or replace function billing.skip_topup_request(p_request_id uuid, p_outcome text)
returns void
language sql
security definer
set search_path = ''
as $$
  update billing.topup_requests r
     set status = 'skipped', outcome = p_outcome, locked_until = null, finished_at = pg_catalog.now()
   where r.id = p_request_id;
$$;
comment on function billing.skip_topup_request(uuid, text) is 'Ends a top-up request without a charge, saying why.';
revoke execute on function billing.skip_topup_request(uuid, text) from public, anon, authenticated, service_role;

-- A cap stop lasts for the month it happened in: the first claim of a new month turns those
-- wallets back on and, when they are still below the threshold, queues their top-up.
create or replace function billing.rearm_capped_auto_topups()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_wallet uuid;
  v_threshold integer;
  v_count integer := 0;
begin
  for v_wallet in
    select s.wallet_id from public.auto_topup_settings s
     where s.stopped_reason = 'monthly_cap_reached'
       and s.stopped_at < (billing.current_month()::timestamp at time zone 'UTC')
     order by s.wallet_id
  loop
    -- The wallet first (the lock order of set_auto_topup), then the settings, checked again.
    perform billing.lock_wallet(v_wallet);
    update public.auto_topup_settings s
       set status = 'on', stopped_reason = null, stopped_detail = null, stopped_at = null
     where s.wallet_id = v_wallet and s.stopped_reason = 'monthly_cap_reached'
       and s.stopped_at < (billing.current_month()::timestamp at time zone 'UTC')
    returning s.threshold into v_threshold;
    if found then
      perform billing.arm_auto_topup(v_wallet, v_threshold);
      v_count := v_count + 1;
    end if;
  end loop;
  return v_count;
end;
$$;
comment on function billing.rearm_capped_auto_topups() is
  'Turns auto top-up back on for wallets stopped by the monthly cap in an earlier month (and queues a top-up when they are below the threshold). Called by claim_topup_requests.';
revoke execute on function billing.rearm_capped_auto_topups() from public, anon, authenticated, service_role;

create or replace function billing.arm_auto_topup(p_wallet_id uuid, p_threshold integer)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- The caller holds the wallet lock: the balance read here cannot cross meanwhile.
  perform billing.set_wallet_topup_threshold(p_wallet_id, p_threshold);
  insert into billing.topup_requests (wallet_id, cause, balance_at_request)
  select w.id, 'enabled', w.credits from billing.wallets w where w.id = p_wallet_id and w.credits < p_threshold
  on conflict (wallet_id) where status in ('queued', 'charging') do nothing;
end;
$$;
comment on function billing.arm_auto_topup(uuid, integer) is
  'Mirrors the threshold on the wallet row and, when the balance is already below it, queues a top-up (cause enabled): a crossing that happened before auto top-up was on would never come again.';
revoke execute on function billing.arm_auto_topup(uuid, integer) from public, anon, authenticated, service_role;

/**
  * Section - Public functions for the SPA (owners/admins set, members read)
 */

create or replace function billing.auto_topup_wallet(p_team_id uuid, p_at_least text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
begin
  if p_team_id is null then
    return v_user_id;
  end if;
  perform billing.require_team_role(p_team_id, p_at_least);
  return p_team_id;
end;
$$;
comment on function billing.auto_topup_wallet(uuid, text) is
  'The wallet an auto top-up RPC acts on: the caller''s own, or the team''s after checking the caller''s role (42501 not_signed_in, not_team_member, not_team_admin).';
revoke execute on function billing.auto_topup_wallet(uuid, text) from public, anon, authenticated, service_role;

create or replace function public.auto_topup_status(team_id uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_wallet uuid := billing.auto_topup_wallet(auto_topup_status.team_id, 'member');
  v_can_manage boolean := auto_topup_status.team_id is null
    or exists (select 1 from public.team_members m where m.team_id = auto_topup_status.team_id
                and m.user_id = (select auth.uid()) and m.role in ('owner', 'admin'));
  v_settings public.auto_topup_settings;
  v_plan public.plans;
  v_last billing.topup_requests;
  v_card text;
begin
  select * into v_settings from public.auto_topup_settings s where s.wallet_id = v_wallet;
  select c.default_payment_method into v_card from public.billing_customers c where c.wallet_id = v_wallet;
  -- The latest request; within one transaction (same created_at) the unfinished one is the latest.
  select * into v_last from billing.topup_requests r where r.wallet_id = v_wallet
   order by r.created_at desc, r.finished_at desc nulls first limit 1;
  if v_settings.wallet_id is not null then
    select * into v_plan from public.plans p where p.id = v_settings.plan_id;
  end if;
  return pg_catalog.jsonb_build_object(
    'status', coalesce(v_settings.status, 'off'),
    'threshold', v_settings.threshold,
    'plan_id', v_settings.plan_id,
    'plan_name', v_plan.name,
    'credits', v_plan.credits,
    'price_cents', v_plan.price_cents,
    'currency', coalesce(v_plan.currency, 'usd'),
    'monthly_cap_cents', v_settings.monthly_cap_cents,
    'charged_this_month_cents', billing.auto_topup_charged_this_month(v_wallet),
    'stopped_reason', v_settings.stopped_reason,
    'stopped_detail', v_settings.stopped_detail,
    'stopped_at', v_settings.stopped_at,
    'has_saved_card', v_card is not null,
    'in_flight', exists (select 1 from billing.topup_requests r where r.wallet_id = v_wallet and r.status in ('queued', 'charging')),
    'last_topup_status', v_last.status,
    'last_topup_at', v_last.created_at,
    'can_manage', v_can_manage);
end;
$$;
comment on function public.auto_topup_status(uuid) is
  'Authenticated: the auto top-up of the caller''s personal wallet, or of team_id''s (any member may read). Returns {status (on/off/stopped), threshold, plan_id, plan_name, credits, price_cents, currency, monthly_cap_cents, charged_this_month_cents, stopped_reason, stopped_detail, stopped_at, has_saved_card, in_flight, last_topup_status, last_topup_at, can_manage}. Errors: 42501 not_signed_in, not_team_member.';
revoke execute on function public.auto_topup_status(uuid) from public, anon, authenticated;
grant execute on function public.auto_topup_status(uuid) to authenticated;

create or replace function public.set_auto_topup(threshold integer, plan_id text, monthly_cap_cents integer, team_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_wallet uuid := billing.auto_topup_wallet(set_auto_topup.team_id, 'admin');
  v_plan public.plans;
begin
  if threshold is null or threshold < 1 or threshold > billing.max_credits_per_call() then
    perform billing.raise_invalid_argument('threshold', 'The threshold is a number of credits from 1 to ' || billing.max_credits_per_call() || '.');
  end if;
  select * into v_plan from public.plans p where p.id = set_auto_topup.plan_id and p.active;
  if not found then
    perform billing.raise_unknown('plan', 'Choose one of the credit packs on sale.');
  end if;
  if v_plan.kind <> 'pack' then
    perform billing.raise_invalid_argument('plan_id', 'Auto top-up buys a credit pack; choose a pack, not a plan.');
  end if;
  if monthly_cap_cents is null or monthly_cap_cents < v_plan.price_cents or monthly_cap_cents > 100000000 then
    perform billing.raise_invalid_argument('monthly_cap_cents',
      pg_catalog.format('The monthly cap must be at least the price of one pack (%s %s) and at most 1,000,000.00.',
                        pg_catalog.to_char(v_plan.price_cents / 100.0, 'FM999999990.00'), pg_catalog.upper(v_plan.currency)));
  end if;
  if not exists (select 1 from public.billing_customers c where c.wallet_id = v_wallet and c.default_payment_method is not null) then
    raise exception using
      errcode = 'PT409',
      message = 'no_saved_card',
      detail = pg_catalog.jsonb_build_object('wallet_id', v_wallet)::text,
      hint = 'Buy credits once with a card first: that card is saved and used for automatic top-ups.';
  end if;

  perform billing.lock_wallet(v_wallet);
  insert into public.auto_topup_settings as s (wallet_id, team_id, threshold, plan_id, monthly_cap_cents, status, updated_by)
  values (v_wallet, set_auto_topup.team_id, threshold, v_plan.id, monthly_cap_cents, 'on', v_user_id)
  on conflict (wallet_id) do update
    set threshold = excluded.threshold, plan_id = excluded.plan_id, monthly_cap_cents = excluded.monthly_cap_cents,
        status = 'on', stopped_reason = null, stopped_detail = null, stopped_at = null, updated_by = excluded.updated_by;
  perform billing.arm_auto_topup(v_wallet, threshold);
  return public.auto_topup_status(set_auto_topup.team_id);
end;
$$;
comment on function public.set_auto_topup(integer, text, integer, uuid) is
  'Authenticated (a team''s owners and admins for team_id). Turns auto top-up on (again, also after a stop): when available credits fall below threshold (1..10000), buy the pack plan_id with the saved card, at most monthly_cap_cents (>= one pack''s price) per calendar month. When the balance is already below the threshold a top-up starts now. Returns auto_topup_status. Errors: 22023 invalid_threshold, unknown_plan, invalid_plan_id (not a pack), invalid_monthly_cap_cents; PT409 no_saved_card; 42501 not_signed_in, not_team_member, not_team_admin.';
revoke execute on function public.set_auto_topup(integer, text, integer, uuid) from public, anon, authenticated;
grant execute on function public.set_auto_topup(integer, text, integer, uuid) to authenticated;

create or replace function public.disable_auto_topup(team_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_wallet uuid := billing.auto_topup_wallet(disable_auto_topup.team_id, 'admin');
begin
  perform billing.lock_wallet(v_wallet);
  update public.auto_topup_settings s
     set status = 'off', stopped_reason = null, stopped_detail = null, stopped_at = null, updated_by = (select auth.uid())
   where s.wallet_id = v_wallet;
  perform billing.set_wallet_topup_threshold(v_wallet, null);
  -- A queued request is dropped; one being charged finishes (the charge may be at the provider).
  update billing.topup_requests r
     set status = 'skipped', outcome = 'auto top-up was turned off', finished_at = pg_catalog.now()
   where r.wallet_id = v_wallet and r.status = 'queued';
  return public.auto_topup_status(disable_auto_topup.team_id);
end;
$$;
comment on function public.disable_auto_topup(uuid) is
  'Authenticated (a team''s owners and admins for team_id). Turns auto top-up off (a queued top-up is dropped; one already charging finishes). Returns auto_topup_status. Errors: 42501 not_signed_in, not_team_member, not_team_admin.';
revoke execute on function public.disable_auto_topup(uuid) from public, anon, authenticated;
grant execute on function public.disable_auto_topup(uuid) to authenticated;

/**
  * Section - Public functions for the auto-topup Edge Function and the webhook (service role)
 */

create or replace function public.claim_topup_requests(max_requests integer)
returns table (
  request_id uuid, wallet_id uuid, payment_id uuid, idempotency_key text, provider text, customer_id text,
  payment_method text, plan_id text, credits integer, amount_cents integer, currency text, user_id uuid, team_id uuid
)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_request billing.topup_requests;
  v_settings public.auto_topup_settings;
  v_plan public.plans;
  v_customer public.billing_customers;
  v_payment public.payments;
  v_charged bigint;
  v_candidate record;
begin
  perform billing.require_service_role();
  if max_requests is null or max_requests < 1 or max_requests > 100 then
    perform billing.raise_invalid_argument('max_requests', 'max_requests must be 1 to 100');
  end if;
  perform billing.rearm_capped_auto_topups();

  -- Lock order everywhere in this file: the wallet row first (as every balance change does),
  -- then the settings, the payment, the request. So candidates are picked without locks, and
  -- each is taken only after its wallet's lock, skipping one another claimer took meanwhile.
  for v_candidate in
    select r.id, r.wallet_id from billing.topup_requests r
     where r.status = 'queued' or (r.status = 'charging' and r.locked_until <= pg_catalog.now())
     order by r.created_at
     limit max_requests
  loop
    perform billing.lock_wallet(v_candidate.wallet_id);
    select r.* into v_request from billing.topup_requests r
     where r.id = v_candidate.id
       and (r.status = 'queued' or (r.status = 'charging' and r.locked_until <= pg_catalog.now()))
       for update skip locked;
    if not found then
      continue;
    end if;
    if v_request.status = 'charging' then
      -- The claimer's lease ran out mid-charge: charge again with the same idempotency key (the
      -- provider answers with the first charge's result), counted in the cap already.
      update billing.topup_requests r set attempts = r.attempts + 1, locked_until = pg_catalog.now() + billing.topup_lease()
       where r.id = v_request.id;
      select * into strict v_payment from public.payments p where p.id = v_request.payment_id;
      if v_payment.status <> 'pending' then
        -- Settled meanwhile (the webhook): nothing left to charge.
        update billing.topup_requests r
           set status = case when v_payment.status = 'failed' then 'failed' else 'succeeded' end,
               locked_until = null, finished_at = pg_catalog.now()
         where r.id = v_request.id;
        continue;
      end if;
      select * into v_customer from public.billing_customers c where c.wallet_id = v_request.wallet_id;
      select * into strict v_plan from public.plans p where p.id = v_payment.plan_id;
      request_id := v_request.id; wallet_id := v_request.wallet_id; payment_id := v_payment.id;
      idempotency_key := v_payment.provider_session_id; provider := v_payment.provider;
      customer_id := v_customer.provider_customer_id; payment_method := v_customer.default_payment_method;
      plan_id := v_payment.plan_id; credits := v_payment.credits; amount_cents := v_payment.amount_cents;
      currency := v_payment.currency; user_id := v_payment.user_id; team_id := v_payment.team_id;
      return next;
      continue;
    end if;

    -- The cap is counted under the wallet's and the settings row's locks: two claims for one
    -- wallet (a reclaim, a request queued right after the last one succeeded) count one after
    -- the other, each seeing the other's pending payment.
    select * into v_settings from public.auto_topup_settings s where s.wallet_id = v_request.wallet_id for update;
    if v_settings.wallet_id is null or v_settings.status <> 'on' then
      perform billing.skip_topup_request(v_request.id, 'auto top-up is ' || coalesce(v_settings.status, 'not set'));
      continue;
    end if;
    -- A deleted team's card is never charged, whatever raced its deletion (a set_auto_topup that
    -- checked the role just before delete_team committed): its auto top-up goes off here too.
    if exists (select 1 from public.teams t where t.id = v_request.wallet_id and t.deleted_at is not null) then
      update public.auto_topup_settings s set status = 'off' where s.wallet_id = v_request.wallet_id;
      perform billing.set_wallet_topup_threshold(v_request.wallet_id, null);
      perform billing.skip_topup_request(v_request.id, 'the team was deleted');
      continue;
    end if;
    select * into v_plan from public.plans p where p.id = v_settings.plan_id and p.active and p.kind = 'pack';
    if not found then
      perform billing.stop_auto_topup(v_request.wallet_id, 'plan_unavailable', 'The pack is no longer sold: choose another.', 'auto_topup:' || v_request.id);
      perform billing.skip_topup_request(v_request.id, 'plan_unavailable');
      continue;
    end if;
    select * into v_customer from public.billing_customers c where c.wallet_id = v_request.wallet_id;
    if v_customer.default_payment_method is null then
      perform billing.stop_auto_topup(v_request.wallet_id, 'no_payment_method', 'No saved card: buy credits once with a card to save it.', 'auto_topup:' || v_request.id);
      perform billing.skip_topup_request(v_request.id, 'no_payment_method');
      continue;
    end if;
    v_charged := billing.auto_topup_charged_this_month(v_request.wallet_id);
    if v_charged + v_plan.price_cents > v_settings.monthly_cap_cents then
      perform billing.stop_auto_topup(v_request.wallet_id, 'monthly_cap_reached',
        pg_catalog.format('Charged %s of the monthly cap of %s this month; the next pack costs %s.',
                          v_charged, v_settings.monthly_cap_cents, v_plan.price_cents),
        'auto_topup_cap:' || v_request.wallet_id || ':' || billing.current_month());
      perform billing.skip_topup_request(v_request.id, 'monthly_cap_reached');
      continue;
    end if;

    insert into public.payments (user_id, team_id, plan_id, provider, provider_session_id, credits, credits_expire_after,
                                 amount_cents, currency, purpose)
    values (v_settings.updated_by, v_settings.team_id, v_plan.id, v_customer.provider, 'topup:' || v_request.id,
            v_plan.credits, v_plan.credits_expire_after, v_plan.price_cents, v_plan.currency, 'auto_topup')
    returning * into strict v_payment;
    update billing.topup_requests r
       set status = 'charging', payment_id = v_payment.id, attempts = r.attempts + 1,
           locked_until = pg_catalog.now() + billing.topup_lease()
     where r.id = v_request.id;

    request_id := v_request.id; wallet_id := v_request.wallet_id; payment_id := v_payment.id;
    idempotency_key := v_payment.provider_session_id; provider := v_payment.provider;
    customer_id := v_customer.provider_customer_id; payment_method := v_customer.default_payment_method;
    plan_id := v_plan.id; credits := v_plan.credits; amount_cents := v_plan.price_cents; currency := v_plan.currency;
    user_id := v_payment.user_id; team_id := v_payment.team_id;
    return next;
  end loop;
end;
$$;
comment on function public.claim_topup_requests(integer) is
  'Service role only (auto-topup). Re-arms wallets stopped by an earlier month''s cap, then claims up to max_requests (1..100) queued top-ups (and charging ones whose lease ran out; FOR UPDATE SKIP LOCKED). For each: skipped when auto top-up is no longer on or the team was deleted (then turned off); stopped (and the owners mailed for the cap) when the pack is gone, no card is saved, or charged this month + in flight + the pack would pass monthly_cap_cents (counted under the settings row''s lock); otherwise a pending payment (purpose auto_topup, provider_session_id topup:<request id>) and the request becomes charging, leased for billing.topup_lease(). Returns what to charge: request_id, wallet_id, payment_id, idempotency_key, provider, customer_id, payment_method, plan_id, credits, amount_cents, currency, user_id, team_id. Errors: 22023 invalid_max_requests; 42501 not_allowed.';
revoke execute on function public.claim_topup_requests(integer) from public, anon, authenticated;
grant execute on function public.claim_topup_requests(integer) to service_role;

create or replace function public.settle_auto_topup(
  request_id uuid,
  outcome text,
  payment_intent text default null,
  amount_cents integer default null,
  currency text default null,
  detail text default null,
  event_id text default null,
  event_type text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor text := billing.require_service_role();
  v_replay jsonb;
  v_request billing.topup_requests;
  v_payment public.payments;
  v_credit jsonb;
  v_outcome jsonb;
begin
  if outcome is null or outcome not in ('succeeded', 'declined', 'authentication_required') then
    perform billing.raise_invalid_argument('outcome', 'outcome must be succeeded, declined or authentication_required.');
  end if;
  if payment_intent is not null then
    perform billing.check_text('payment_intent', payment_intent, true, billing.max_provider_ref_length());
  end if;
  perform billing.check_text('detail', detail, false, 1000);
  if event_id is not null then
    perform billing.check_text('event_id', event_id, true, billing.max_event_id_length());
    perform billing.check_text('event_type', coalesce(event_type, ''), true, 100);
    v_replay := billing.event_begin(settle_auto_topup.event_id, settle_auto_topup.event_type);
    if v_replay is not null then
      return v_replay;
    end if;
  end if;

  select * into v_request from billing.topup_requests r where r.id = settle_auto_topup.request_id;
  if v_request.payment_id is null then
    v_outcome := pg_catalog.jsonb_build_object('payment_id', null, 'status', 'unknown_request', 'request_id', request_id, 'credited', 0);
  else
    if payment_intent is not null then
      perform billing.payment_ref_lock(payment_intent);
    end if;
    -- Lock order: the wallet, then the payment, then the request.
    perform billing.lock_wallet(v_request.wallet_id);
    select * into strict v_payment from public.payments p where p.id = v_request.payment_id for update;
    select * into strict v_request from billing.topup_requests r where r.id = v_request.id for update;
    -- A payment intent pays one payment: another payment's means a wrong report, the same on
    -- every retry (the webhook records the rejection; nothing is credited).
    if payment_intent is not null and exists (select 1 from public.payments p
                                               where p.provider_payment_intent = settle_auto_topup.payment_intent
                                                 and p.id <> v_payment.id) then
      raise exception using
        errcode = 'PT409',
        message = 'payment_intent_in_use',
        detail = pg_catalog.jsonb_build_object('request_id', v_request.id, 'payment_intent', payment_intent)::text,
        hint = 'Another payment already has this payment intent: nothing was credited; support checks the charge at the provider.';
    end if;

    if v_payment.status <> 'pending' then
      -- The function and the webhook both report each charge: the second report changes nothing.
      if payment_intent is not null and v_payment.provider_payment_intent is null then
        update public.payments p set provider_payment_intent = settle_auto_topup.payment_intent where p.id = v_payment.id;
        v_payment := billing.apply_early_refunds(v_payment.id, v_actor);
      end if;
      v_outcome := billing.payment_summary(v_payment) || '{"credited": 0, "already_settled": true}'::jsonb;
    elsif settle_auto_topup.outcome = 'succeeded'
          and (settle_auto_topup.amount_cents is distinct from v_payment.amount_cents
               or pg_catalog.lower(settle_auto_topup.currency) is distinct from v_payment.currency) then
      v_outcome := billing.checkout_fail_amount_mismatch(v_payment, settle_auto_topup.amount_cents, settle_auto_topup.currency, payment_intent);
      update billing.topup_requests r set status = 'failed', locked_until = null, finished_at = pg_catalog.now(),
             outcome = 'amount_mismatch'
       where r.id = v_request.id;
    elsif settle_auto_topup.outcome = 'succeeded' then
      update public.payments p
         set status = 'paid', paid_at = pg_catalog.now(),
             provider_payment_intent = coalesce(settle_auto_topup.payment_intent, p.provider_payment_intent)
       where p.id = v_payment.id
      returning * into strict v_payment;
      v_credit := billing.payment_ledger_change(v_payment, v_payment.credits, 'purchase',
        pg_catalog.format('Auto top-up: %s-credit pack', v_payment.credits), v_actor,
        pg_catalog.format('payment:%s:purchase', v_payment.id));
      v_payment := billing.apply_early_refunds(v_payment.id, v_actor);
      update billing.topup_requests r set status = 'succeeded', locked_until = null, finished_at = pg_catalog.now(),
             outcome = 'charged'
       where r.id = v_request.id;
      v_outcome := billing.payment_summary(v_payment)
        || pg_catalog.jsonb_build_object('credited', v_payment.credits, 'ledger_id', v_credit -> 'ledger_id',
             'balance', (select w.credits from billing.wallets w where w.id = v_payment.wallet_id));
    else
      update public.payments p
         set status = 'failed',
             failure_reason = pg_catalog.left(settle_auto_topup.outcome || coalesce(': ' || settle_auto_topup.detail, ''), 1000),
             provider_payment_intent = coalesce(settle_auto_topup.payment_intent, p.provider_payment_intent)
       where p.id = v_payment.id
      returning * into strict v_payment;
      update billing.topup_requests r set status = 'failed', locked_until = null, finished_at = pg_catalog.now(),
             outcome = pg_catalog.left(settle_auto_topup.outcome || coalesce(': ' || settle_auto_topup.detail, ''), 1000)
       where r.id = v_request.id;
      -- Never retried by itself: the card needs the owner (Lago's loop of charges that cannot succeed).
      perform billing.stop_auto_topup(v_request.wallet_id, settle_auto_topup.outcome,
        coalesce(settle_auto_topup.detail, case settle_auto_topup.outcome when 'declined' then 'The card was declined.'
                                           else 'The bank asked the cardholder to authenticate the payment.' end),
        'auto_topup:' || v_request.id);
      v_outcome := billing.payment_summary(v_payment) || '{"credited": 0}'::jsonb;
    end if;
    v_outcome := v_outcome || pg_catalog.jsonb_build_object('request_id', v_request.id, 'outcome', settle_auto_topup.outcome);
  end if;

  if event_id is not null then
    return billing.event_finish(settle_auto_topup.event_id, v_outcome, v_payment.id);
  end if;
  return v_outcome || '{"replayed": false}'::jsonb;
end;
$$;
comment on function public.settle_auto_topup(uuid, text, text, integer, text, text, text, text) is
  'Service role only (auto-topup after its charge; stripe-webhook for payment_intent.succeeded / payment_intent.payment_failed with metadata purpose auto_topup). Settles the request''s pending payment once, whoever reports first: succeeded (amount and currency must match, else failed amount_mismatch) marks it paid and credits the pack (kind purchase, idempotency key payment:<id>:purchase); declined / authentication_required mark it failed and stop auto top-up, mailing the owner(s). A later report changes nothing (already_settled). With event_id the event is recorded once (replays return the first outcome). Returns the payment fields, credited, request_id, outcome, replayed. Errors: 22023 invalid_outcome, invalid_payment_intent, invalid_detail, invalid_event_id; PT409 payment_intent_in_use (another payment has it); 42501 not_allowed.';
revoke execute on function public.settle_auto_topup(uuid, text, text, integer, text, text, text, text) from public, anon, authenticated;
grant execute on function public.settle_auto_topup(uuid, text, text, integer, text, text, text, text) to service_role;

create or replace function public.save_payment_method(
  wallet_id uuid,
  provider text,
  customer_id text,
  payment_method text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform billing.require_service_role();
  if provider is null or provider not in ('stripe', 'local') then
    perform billing.raise_invalid_argument('provider', 'provider must be stripe or local.');
  end if;
  perform billing.check_text('customer_id', customer_id, true, billing.max_provider_ref_length());
  perform billing.check_text('payment_method', payment_method, false, billing.max_provider_ref_length());
  if wallet_id is null or not exists (select 1 from billing.wallets w where w.id = save_payment_method.wallet_id) then
    perform billing.raise_unknown('wallet', 'The wallet must be a recruiter or a team.');
  end if;
  insert into public.billing_customers as c (wallet_id, provider, provider_customer_id, default_payment_method)
  values (save_payment_method.wallet_id, provider, customer_id, payment_method)
  on conflict on constraint billing_customers_pkey do update
    set provider = excluded.provider, provider_customer_id = excluded.provider_customer_id,
        default_payment_method = coalesce(excluded.default_payment_method, c.default_payment_method),
        updated_at = pg_catalog.now();
  return pg_catalog.jsonb_build_object('wallet_id', wallet_id, 'customer_id', customer_id, 'payment_method', payment_method);
end;
$$;
comment on function public.save_payment_method(uuid, text, text, text) is
  'Service role only (stripe-webhook: a checkout''s payment_intent.succeeded that saved the card for off-session use). Records the wallet''s provider customer and its card (the latest saved card wins; a null payment_method keeps the card). Returns {wallet_id, customer_id, payment_method}. Errors: 22023 invalid_provider, invalid_customer_id, invalid_payment_method, unknown_wallet; 42501 not_allowed.';
revoke execute on function public.save_payment_method(uuid, text, text, text) from public, anon, authenticated;
grant execute on function public.save_payment_method(uuid, text, text, text) to service_role;

create or replace function public.wallet_billing_customer(wallet_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select case when billing.require_service_role() is not null then
    (select pg_catalog.jsonb_build_object('customer_id', c.provider_customer_id, 'provider', c.provider,
              'payment_method', c.default_payment_method)
       from public.billing_customers c where c.wallet_id = wallet_billing_customer.wallet_id) end;
$$;
comment on function public.wallet_billing_customer(uuid) is
  'Service role only (checkout): the wallet''s provider customer {customer_id, provider, payment_method}, or null, so a new checkout reuses the customer. Errors: 42501 not_allowed.';
revoke execute on function public.wallet_billing_customer(uuid) from public, anon, authenticated;
grant execute on function public.wallet_billing_customer(uuid) to service_role;

/**
  * Section - E-mail templates
 */

insert into billing.email_templates (name, description, required_params, secret_params) values
  ('auto_topup_declined', 'Auto top-up stopped: the saved card was declined. Says which workspace, the pack and how to resume (update the card by buying once, then turn auto top-up on again).',
   array['workspace', 'credits', 'amount_cents', 'currency'], array[]::text[]),
  ('auto_topup_authentication_required', 'Auto top-up stopped: the bank asked for the cardholder''s authentication, which an automatic charge cannot give. Says how to resume.',
   array['workspace', 'credits', 'amount_cents', 'currency'], array[]::text[]),
  ('auto_topup_cap_reached', 'Auto top-up paused for the month: the next pack would pass the monthly cap. Says the cap and that it resumes next month or when the cap is raised.',
   array['workspace', 'credits', 'amount_cents', 'currency', 'monthly_cap_cents'], array[]::text[])
on conflict (name) do update
  set description = excluded.description, required_params = excluded.required_params, secret_params = excluded.secret_params;
