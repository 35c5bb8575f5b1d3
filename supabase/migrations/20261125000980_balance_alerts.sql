-- Balance alerts. Each workspace (a personal wallet on public.users, a team's on public.teams) may
-- set a low-balance threshold (set_low_balance_alert). When a change of the wallet takes its
-- AVAILABLE credits from at or above the threshold to below it, the wallet's owner(s) get one mail
-- (the outbox of 20261125000920_email_outbox.sql, template low_balance) and every open tab of the
-- workspace gets event low_balance on balance:<wallet id>. One alert per crossing: spends below
-- the threshold do not alert again; a purchase (or refund, release, ...) back to or above it
-- re-arms it. The SPA shows its banner while available < threshold, derived from the live
-- balance and the threshold billing_summary returns, so the banner needs no event of its own.
--
-- The hot path: the alert is an AFTER UPDATE OF credits trigger whose WHEN clause compares old
-- and new credits with the threshold on the same row. A change that does not cross (nearly
-- every spend) is decided by the executor's WHEN test and calls no function at all; a wallet
-- without a threshold (null) never calls it. The crossing is decided under the wallet's row lock
-- (apply_credit_change's conditional update), so two spends crossing at once alert once: the
-- second one's old.credits is already below the threshold.
--
-- Expiring soon: billing.remind_expiring_lots, run daily by pg_cron, mails the owner(s) of every
-- wallet once per lot that still has credits and expires within billing.expiry_reminder_lead()
-- (7 days). Sent reminders are remembered in billing.expiry_reminders (lots are never updated
-- for it: their rows belong to the credit functions and their guard triggers).

/**
  * Section - Settings
 */

create or replace function billing.max_low_balance_threshold()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 100000000;
$$;
comment on function billing.max_low_balance_threshold() is
  'Highest low-balance threshold a workspace may set (the same bound as the monthly limits).';
revoke execute on function billing.max_low_balance_threshold() from public, anon, authenticated, service_role;

create or replace function billing.expiry_reminder_lead()
returns interval
language sql
immutable
parallel safe
set search_path = ''
as $$
  select interval '7 days';
$$;
comment on function billing.expiry_reminder_lead() is
  'How long before a lot expires its owner(s) are mailed (credits_expiring). A lot that has less left when first seen (a short-lived grant) is mailed at the next daily run.';
revoke execute on function billing.expiry_reminder_lead() from public, anon, authenticated, service_role;

create or replace function billing.expiry_reminder_batch()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 1000;
$$;
comment on function billing.expiry_reminder_batch() is
  'Lots one call of billing.remind_expiring_lots handles (one transaction); the cron job calls it again until nothing is due.';
revoke execute on function billing.expiry_reminder_batch() from public, anon, authenticated, service_role;

/**
  * Section - Tables and columns
 */

alter table public.users add column if not exists low_balance_threshold integer
  check (low_balance_threshold is null or low_balance_threshold between 1 and 100000000);
comment on column public.users.low_balance_threshold is
  'Low-balance alert of the personal workspace: when available credits fall from at least this to below it, the recruiter is mailed (template low_balance) and the SPA shows its banner while below. Null: no alert. Set only by set_low_balance_alert (no API role may write it directly).';

alter table public.teams add column if not exists low_balance_threshold integer
  check (low_balance_threshold is null or low_balance_threshold between 1 and 100000000);
comment on column public.teams.low_balance_threshold is
  'Low-balance alert of the team wallet: when available credits fall from at least this to below it, the team''s owners are mailed (template low_balance) and every member''s tab shows the banner while below. Null: no alert. Set only by set_low_balance_alert (owners and admins).';

-- Every alert sent: the crossing counter whose id makes each mail's dedupe key, and what support
-- reads when a recruiter asks "why did I (not) get a mail".
create table billing.low_balance_alerts (
  id bigint generated always as identity primary key,
  wallet_id uuid not null,
  threshold integer not null,
  credits_before integer not null,
  credits_after integer not null,
  created_at timestamptz not null default pg_catalog.now(),
  constraint low_balance_alerts_crossed check (credits_before >= threshold and credits_after < threshold)
);
comment on table billing.low_balance_alerts is
  'One row per low-balance crossing (written by the wallet triggers, billing.alert_low_balance): the wallet went from credits_before >= threshold to credits_after < threshold. The outbox mails of a crossing have dedupe key low_balance:<id>:<recipient user id>.';
comment on column billing.low_balance_alerts.id is 'The crossing (part of its mails'' dedupe keys).';
comment on column billing.low_balance_alerts.wallet_id is 'The wallet (public.users.id or public.teams.id).';
comment on column billing.low_balance_alerts.threshold is 'The threshold it crossed.';
comment on column billing.low_balance_alerts.credits_before is 'Available credits before the change that crossed.';
comment on column billing.low_balance_alerts.credits_after is 'Available credits after it.';
comment on column billing.low_balance_alerts.created_at is 'When the crossing committed (the change''s transaction time).';
create index low_balance_alerts_wallet_idx on billing.low_balance_alerts (wallet_id, id);
alter table billing.low_balance_alerts enable row level security;
revoke all on table billing.low_balance_alerts from public, anon, authenticated, service_role;

create table billing.expiry_reminders (
  lot_id bigint primary key references public.credit_lots (id) on delete cascade,
  wallet_id uuid not null,
  credits integer not null check (credits > 0),
  expires_at timestamptz not null,
  sent_at timestamptz not null default pg_catalog.now()
);
comment on table billing.expiry_reminders is
  'Lots whose owner(s) were mailed that they expire soon (billing.remind_expiring_lots): at most one row, so one reminder, per lot. The lot rows themselves are not touched.';
comment on column billing.expiry_reminders.lot_id is 'The lot (public.credit_lots.id).';
comment on column billing.expiry_reminders.wallet_id is 'Its wallet (public.users.id or public.teams.id).';
comment on column billing.expiry_reminders.credits is 'Credits the lot still had (remaining) when the reminder was queued.';
comment on column billing.expiry_reminders.expires_at is 'When the lot expires.';
comment on column billing.expiry_reminders.sent_at is 'When the reminder was queued in the outbox.';
create index expiry_reminders_wallet_idx on billing.expiry_reminders (wallet_id);
alter table billing.expiry_reminders enable row level security;
revoke all on table billing.expiry_reminders from public, anon, authenticated, service_role;

insert into billing.email_templates (name, description, required_params, secret_params) values
  ('low_balance', 'A workspace''s available credits fell below its low-balance threshold (one mail per crossing, to the recruiter or the team''s owners): the workspace, the threshold, what is left, and the billing link ${SITE_URL}/billing?workspace=<team id or personal>.',
   array['workspace', 'threshold', 'available'], array[]::text[]),
  ('credits_expiring', 'Credits of one lot expire within a week (one mail per lot, to the recruiter or the team''s owners): the workspace, how many, when, and the billing link.',
   array['workspace', 'credits', 'expires_at'], array[]::text[])
on conflict (name) do update
  set description = excluded.description, required_params = excluded.required_params, secret_params = excluded.secret_params;

/**
  * Section - Wallets (the views and helpers every wallet reader uses)
 */

-- The threshold is read with the balance (billing_summary): the same row, no second lookup.
create or replace view billing.wallets with (security_barrier) as
  select u.id, 'personal'::text as kind, u.credits, u.credits_reserved, u.credits_purchased, u.credits_spent,
         u.credits_refunded, u.credits_granted, u.credits_adjusted, u.credits_reversed, u.credits_expired,
         u.low_balance_threshold
    from public.users u
  union all
  select t.id, 'team'::text, t.credits, t.credits_reserved, t.credits_purchased, t.credits_spent,
         t.credits_refunded, t.credits_granted, t.credits_adjusted, t.credits_reversed, t.credits_expired,
         t.low_balance_threshold
    from public.teams t;
comment on column billing.wallets.low_balance_threshold is 'The wallet''s low-balance threshold (null: no alert).';
revoke all on billing.wallets from public, anon, authenticated, service_role;

-- Who is told about a wallet: the recruiter of a personal wallet, the owners of a team's. Only
-- recruiters with an address (a phone-only account has none).
create or replace function billing.wallet_owners(p_wallet_id uuid)
returns table (user_id uuid, email text, workspace text, team_id uuid)
language sql
stable
security definer
set search_path = ''
as $$
  select u.id, u.email, null::text, null::uuid
    from public.users u
   where u.id = p_wallet_id and u.email is not null
  union all
  select u.id, u.email, t.name, t.id
    from public.teams t
    join public.team_members m on m.team_id = t.id and m.role = 'owner'
    join public.users u on u.id = m.user_id
   where t.id = p_wallet_id and t.deleted_at is null and u.email is not null;
$$;
comment on function billing.wallet_owners(uuid) is
  'The recruiters mailed about a wallet: its recruiter (personal; workspace and team_id null) or the owners of the team (workspace = team name, team_id), each with an e-mail address.';
revoke execute on function billing.wallet_owners(uuid) from public, anon, authenticated, service_role;

/**
  * Section - Low-balance alert (trigger)
 */

create or replace function billing.alert_low_balance()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_alert_id bigint;
  v_owner record;
begin
  insert into billing.low_balance_alerts (wallet_id, threshold, credits_before, credits_after)
  values (new.id, new.low_balance_threshold, old.credits, new.credits)
  returning id into v_alert_id;
  for v_owner in select o.user_id, o.email, o.workspace, o.team_id from billing.wallet_owners(new.id) o loop
    -- A mail problem never refuses the spend that crossed: an address the outbox would refuse is
    -- skipped (and said in the server log); the banner still shows.
    begin
      perform billing.enqueue_email(v_owner.email, 'low_balance',
        pg_catalog.jsonb_build_object('workspace', coalesce(v_owner.workspace, 'your personal workspace'),
          'team_id', v_owner.team_id, 'threshold', new.low_balance_threshold, 'available', new.credits),
        'low_balance:' || v_alert_id::text || ':' || v_owner.user_id::text);
    exception when invalid_parameter_value then
      raise warning 'low_balance alert %: not mailed to user %: %', v_alert_id, v_owner.user_id, sqlerrm;
    end;
  end loop;
  perform realtime.send(
    pg_catalog.jsonb_build_object('wallet_id', new.id, 'threshold', new.low_balance_threshold, 'credits', new.credits),
    'low_balance', 'balance:' || new.id::text, true);
  return null;
end;
$$;
comment on function billing.alert_low_balance() is
  'Trigger on wallet updates (public.users, public.teams) that cross the low-balance threshold downwards (the trigger''s WHEN: old.credits >= threshold > new.credits): records the crossing (billing.low_balance_alerts), queues one low_balance mail per owner (billing.wallet_owners) and sends event low_balance {wallet_id, threshold, credits} on balance:<wallet id>.';
revoke execute on function billing.alert_low_balance() from public, anon, authenticated, service_role;

-- WHEN is evaluated by the executor on the updated row: a change that does not cross costs no call.
create trigger alert_low_balance
  after update of credits on public.users
  for each row
  when (old.credits >= new.low_balance_threshold and new.credits < new.low_balance_threshold)
  execute function billing.alert_low_balance();

create trigger alert_low_balance
  after update of credits on public.teams
  for each row
  when (old.credits >= new.low_balance_threshold and new.credits < new.low_balance_threshold)
  execute function billing.alert_low_balance();

/**
  * Section - Expiring soon (daily job)
 */

create or replace function billing.remind_expiring_lots()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  -- One statement for a batch of lots over any number of wallets: the due lots (the expiry index
  -- holds only lots with credits left), remembered (on conflict: a concurrent run took it), and
  -- one mail per lot and owner. The mails go straight into the outbox, in the same statement,
  -- instead of one billing.enqueue_email call per row: every param the templates require is
  -- built here, the addresses are the users' own (from auth), and the dedupe key makes a
  -- repeated run harmless.
  with due as (
    select l.id, l.user_id, l.remaining, l.expires_at
      from public.credit_lots l
     where l.remaining > 0
       and l.expires_at > pg_catalog.now()
       and l.expires_at <= pg_catalog.now() + billing.expiry_reminder_lead()
       and not exists (select 1 from billing.expiry_reminders r where r.lot_id = l.id)
     order by l.expires_at, l.id
     limit billing.expiry_reminder_batch()
  ), noted as (
    insert into billing.expiry_reminders (lot_id, wallet_id, credits, expires_at)
    select d.id, d.user_id, d.remaining, d.expires_at from due d
    on conflict (lot_id) do nothing
    returning lot_id, wallet_id, credits, expires_at
  ), mailed as (
    insert into billing.email_outbox (to_address, template, params, dedupe_key)
    select pg_catalog.lower(pg_catalog.btrim(o.email)), 'credits_expiring',
           pg_catalog.jsonb_build_object('workspace', coalesce(o.workspace, 'your personal workspace'),
             'team_id', o.team_id, 'credits', n.credits, 'expires_at', n.expires_at),
           'credits_expiring:' || n.lot_id::text || ':' || o.user_id::text
      from noted n
      cross join lateral billing.wallet_owners(n.wallet_id) o
     where pg_catalog.char_length(pg_catalog.btrim(o.email)) between 3 and billing.max_email_address_length()
    on conflict (dedupe_key) do nothing
    returning 1
  )
  select pg_catalog.count(*)::integer into v_count from noted;
  return v_count;
end;
$$;
comment on function billing.remind_expiring_lots() is
  'Daily job (pg_cron remind-expiring-lots): for up to billing.expiry_reminder_batch() lots with credits left that expire within billing.expiry_reminder_lead() and were not reminded yet, remembers them (billing.expiry_reminders) and queues one credits_expiring mail per lot and owner (billing.wallet_owners). Returns how many lots it handled (0: nothing left).';
revoke execute on function billing.remind_expiring_lots() from public, anon, authenticated, service_role;

-- Daily at 08:00 UTC (a reminder is a mail someone reads at work, not a minute-exact event).
select cron.schedule('remind-expiring-lots', '0 8 * * *',
  'do $$ begin while billing.remind_expiring_lots() > 0 loop commit; end loop; end $$');

/**
  * Section - Public functions
 */

create or replace function public.set_low_balance_alert(threshold integer, team_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_team_id uuid := set_low_balance_alert.team_id;
  v_wallet_id uuid := coalesce(v_team_id, v_user_id);
  v_credits integer;
begin
  if v_team_id is not null then
    perform billing.require_team_role(v_team_id, 'admin');
  end if;
  if threshold is not null and threshold not between 1 and billing.max_low_balance_threshold() then
    perform billing.raise_invalid_argument('threshold',
      'Choose a whole number of credits from 1 to ' || billing.max_low_balance_threshold() || ', or turn the alert off.');
  end if;
  -- Only the threshold changes, not credits: the alert trigger (AFTER UPDATE OF credits) does
  -- not run, so setting a threshold above the balance shows the banner but sends no mail.
  if v_team_id is null then
    update public.users u set low_balance_threshold = set_low_balance_alert.threshold
     where u.id = v_user_id
    returning u.credits into v_credits;
  else
    update public.teams t set low_balance_threshold = set_low_balance_alert.threshold
     where t.id = v_team_id
    returning t.credits into v_credits;
  end if;
  -- The workspace's other tabs take the new threshold at once (their banner may appear or go).
  perform realtime.send(pg_catalog.jsonb_build_object('wallet_id', v_wallet_id, 'threshold', threshold),
    'low_balance_threshold', 'balance:' || v_wallet_id::text, true);
  return pg_catalog.jsonb_build_object('team_id', v_team_id, 'low_balance_threshold', threshold,
    'available', v_credits, 'low', threshold is not null and v_credits < threshold);
end;
$$;
comment on function public.set_low_balance_alert(integer, uuid) is
  'Sets the low-balance threshold of the signed-in recruiter''s personal workspace (team_id null) or of a team (owners and admins): when available credits fall below it, the owner(s) get one mail per crossing and every open tab a banner; null turns the alert off. Tells the workspace''s tabs (event low_balance_threshold {wallet_id, threshold} on balance:<wallet id>). Returns {team_id, low_balance_threshold, available, low}. Errors: 42501 not_signed_in, not_team_member, not_team_admin; 22023 invalid_threshold (not 1..100000000).';
revoke execute on function public.set_low_balance_alert(integer, uuid) from public, anon, authenticated, service_role;
grant execute on function public.set_low_balance_alert(integer, uuid) to authenticated;

/**
  * Section - What the SPA reads
  * billing_summary (20261125000300_credit_ledger.sql) gains low_balance_threshold, read from the
  * wallet row it already reads: the banner's threshold costs the read nothing.
 */

create or replace function public.billing_summary(team_id uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_team_id uuid := billing_summary.team_id;
  -- The workspace's wallet: the caller's own, or the team's (members only).
  v_role text := case when v_team_id is not null then billing.require_team_role(v_team_id, 'member') end;
  v_wallet_id uuid := coalesce(v_team_id, v_user_id);
  -- Owners and admins see the whole team's history; members the rows they made.
  v_sees_all boolean := v_team_id is null or v_role in ('owner', 'admin');
  v_balance integer;
  v_reserved integer;
  v_threshold integer;
  v_totals jsonb;
  v_recent jsonb;
  v_expiring jsonb;
  v_interviews bigint;
  v_removed bigint;
  v_workspace jsonb := '{}'::jsonb;
begin
  -- Balance and running totals from the wallet row, however long the history: the totals explain
  -- the balance, purchased + granted + refunded + adjusted_added - adjusted_removed - spent - reversed
  -- - expired = available + reserved (a check constraint on the wallet row holds it). Every total is >= 0
  -- by construction: each is a sum of one sign (the wallet columns' checks), and support's signed
  -- corrections are shown as what support added and what it took back, the latter summed from its
  -- few negative rows (a partial index). refunded <= spent too: a refund names an interview and
  -- never exceeds its charge (billing.check_interview_refund).
  select coalesce(-pg_catalog.sum(l.delta), 0) into v_removed
    from public.credit_ledger l
   where l.user_id = v_wallet_id and l.kind = 'adjustment' and l.delta < 0;
  select w.credits, w.credits_reserved, w.low_balance_threshold,
         pg_catalog.jsonb_build_object(
           'total_purchased', coalesce(w.credits_purchased, 0),
           'total_spent', coalesce(w.credits_spent, 0),
           'total_refunded', coalesce(w.credits_refunded, 0),
           'total_granted', coalesce(w.credits_granted, 0),
           'total_adjusted_added', coalesce(w.credits_adjusted, 0) + v_removed,
           'total_adjusted_removed', v_removed,
           'total_reversed', coalesce(w.credits_reversed, 0),
           'total_expired', coalesce(w.credits_expired, 0))
    into v_balance, v_reserved, v_threshold, v_totals
    from (select 1) one
    left join billing.wallets w on w.id = v_wallet_id;

  -- The 20 newest rows: the whole wallet's, or on a team a member's own (billing.ledger_page).
  v_recent := billing.ledger_page(v_wallet_id, case when v_sees_all then null else v_user_id end, null, 20);

  -- What expires next: the live lots by expiry (a handful per account; the partial index holds
  -- only lots with credits left). Held credits do not expire while held, so remaining is what goes.
  -- A lot already past its expiry (written off by the next run of the job) is no longer "next".
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('expires_at', x.expires_at, 'credits', x.remaining)
           order by x.expires_at, x.id), '[]'::jsonb)
    into v_expiring
    from (select l.id, l.expires_at, l.remaining from public.credit_lots l
           where l.user_id = v_wallet_id and l.remaining > 0 and l.expires_at > pg_catalog.now()
           order by l.expires_at, l.id
           limit 3) x;

  if v_team_id is null then
    select pg_catalog.count(*) into v_interviews from public.interviews i where i.user_id = v_user_id and i.team_id is null;
  elsif v_sees_all then
    select pg_catalog.count(*) into v_interviews from public.interviews i where i.team_id = v_team_id;
  else
    select pg_catalog.count(*) into v_interviews from public.interviews i where i.team_id = v_team_id and i.user_id = v_user_id;
  end if;

  if v_team_id is not null then
    select pg_catalog.jsonb_build_object('team_id', v_team_id, 'role', v_role, 'limits', billing.limits_left(v_team_id, v_user_id))
      into v_workspace;
  end if;

  return pg_catalog.jsonb_build_object('balance', coalesce(v_balance, 0), 'available', coalesce(v_balance, 0),
    'reserved', coalesce(v_reserved, 0), 'low_balance_threshold', v_threshold, 'expiring', v_expiring, 'interviews_created', v_interviews,
    'recent', v_recent) || v_totals || v_workspace;
end;
$$;
comment on function public.billing_summary(uuid) is
  'The billing page of a workspace in one call — the signed-in user''s personal one (team_id null) or a team they belong to — costing the same however long the history (balance and running totals from the wallet row, recent by the (user_id, id) index): {balance (= available), available, reserved, low_balance_threshold (null: no alert; the SPA''s banner shows while available < it), expiring, total_purchased, total_spent, total_refunded, total_granted, total_adjusted_added, total_adjusted_removed, total_reversed, total_expired, interviews_created, recent} with purchased + granted + refunded + adjusted_added - adjusted_removed - spent - reversed - expired = available + reserved; every total >= 0 and total_refunded <= total_spent; expiring is up to 3 {expires_at, credits} of the soonest-expiring lots with credits left; recent is the 20 newest ledger rows (newest first) with id, delta, balance_after, reserved_delta, reserved_after, kind, reason, reference, interview_id, payment_id, member_id, created_at. For a team: also team_id, role and limits (billing.limits_left); a member''s recent and interviews_created count only their own. Errors: 42501 not_signed_in, not_team_member.';
revoke execute on function public.billing_summary(uuid) from public, anon, authenticated, service_role;
grant execute on function public.billing_summary(uuid) to authenticated;
