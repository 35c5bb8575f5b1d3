-- Team workspaces: a team is a second kind of wallet in the same ledger. Every recruiter keeps a
-- personal workspace (public.users is its wallet row, as before); a team has its own wallet row
-- here, with the same columns, written by the same billing.apply_credit_change. The ledger, the
-- lots and their entries name the wallet in their user_id column: a recruiter's id or a team's id.
--
-- Roles: owner (everything: limits, owners, deleting the team), admin (buys credits, invites,
-- removes members and admins, sees all usage), member (creates interviews that hold and spend
-- from the team wallet, within its limits; sees the balance, the lots, its own interviews and
-- spends). Someone removed, an outsider and anon see nothing of the team.
--
-- Limits: a monthly credit limit per member (team_members.monthly_limit) and for the whole team
-- (teams.monthly_limit), both per calendar month (UTC). Usage counts the credits a member held
-- (created interviews) or spent; a release in the same month (a cancel, a lapsed hold) gives
-- them back, a capture does not count twice. The member's counter is checked and moved by one
-- conditional update of their membership row, before the wallet row is locked; the team's in the
-- wallet update itself. Lock order everywhere: interview row, membership row, wallet row.

/**
  * Section - Teams and their members
 */

create table public.teams (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  name text not null check (pg_catalog.char_length(name) between 1 and 100 and pg_catalog.btrim(name) <> ''),
  created_by uuid references public.users (id),
  seat_limit integer not null default 100 check (seat_limit between 1 and 1000),
  monthly_limit integer check (monthly_limit is null or monthly_limit between 0 and 100000000),
  usage_month date not null default (pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC'))::date,
  used_this_month bigint not null default 0 check (used_this_month >= 0),
  -- The wallet: the same columns, checks and meaning as on public.users.
  credits integer not null default 0 check (credits >= 0),
  credits_reserved integer not null default 0 check (credits_reserved >= 0),
  credits_purchased bigint not null default 0 check (credits_purchased >= 0),
  credits_spent bigint not null default 0 check (credits_spent >= 0),
  credits_refunded bigint not null default 0 check (credits_refunded >= 0),
  credits_granted bigint not null default 0 check (credits_granted >= 0),
  credits_adjusted bigint not null default 0,
  credits_reversed bigint not null default 0 check (credits_reversed >= 0),
  credits_expired bigint not null default 0 check (credits_expired >= 0),
  deleted_at timestamptz,
  created_at timestamptz not null default pg_catalog.now(),
  updated_at timestamptz not null default pg_catalog.now(),
  constraint teams_totals_explain_credits check (
    credits_purchased + credits_granted + credits_refunded + credits_adjusted
      - credits_spent - credits_reversed - credits_expired = credits + credits_reserved)
);

comment on table public.teams is
  'Team workspaces: a shared wallet (credits, credits_reserved and the running totals credits_*, exactly as on public.users) that members spend from. The ledger names it by its id (credit_ledger.user_id = teams.id). Created with create_team(); members in team_members; never edit the credit columns by hand (billing.support_adjust_credits(<team id>, ...)).';
comment on column public.teams.id is 'Team id; also the wallet id in credit_ledger.user_id, credit_lots.user_id and the Realtime topic balance:<team id>.';
comment on column public.teams.name is 'Team name shown in the workspace switcher (1..100 characters, not blank).';
comment on column public.teams.created_by is 'The recruiter who created the team (its first owner).';
comment on column public.teams.seat_limit is 'Most members the team may have (1..1000, default 100); invitations beyond it are refused (team_full). Support may raise it.';
comment on column public.teams.monthly_limit is 'Most credits all members together may hold or spend per calendar month (UTC); null = no team limit. Set by owners (set_team_limit).';
comment on column public.teams.usage_month is 'The month used_this_month counts (first day, UTC); a spend in a later month starts the count again.';
comment on column public.teams.used_this_month is 'Credits members held or spent in usage_month, minus what cancels gave back in that month.';
comment on column public.teams.credits is 'Available team balance = sum of credit_ledger.delta for this wallet = sum of its lots'' remaining. Written only by the credit functions.';
comment on column public.teams.credits_reserved is 'Reserved team credits (held by scheduled team interviews). Written only by the credit functions.';
comment on column public.teams.credits_purchased is 'Running total of purchase rows (see public.users.credits_purchased).';
comment on column public.teams.credits_spent is 'Running total of spend rows, positive.';
comment on column public.teams.credits_refunded is 'Running total of refund rows.';
comment on column public.teams.credits_granted is 'Running total of grant rows.';
comment on column public.teams.credits_adjusted is 'Running total of adjustment rows (signed).';
comment on column public.teams.credits_reversed is 'Running total of reversal rows, positive.';
comment on column public.teams.credits_expired is 'Running total of expiration rows, positive.';
comment on column public.teams.deleted_at is 'When an owner deleted the team (delete_team: only with no credits left); its history stays, nobody sees it.';
comment on column public.teams.created_at is 'When the team was created.';
comment on column public.teams.updated_at is 'When the row last changed.';

create index teams_created_by_idx on public.teams (created_by);

-- Only when the statement left updated_at alone: the credit functions set it in their own update
-- of the wallet, so a balance change does not call PL/pgSQL for it (a measured share of a spend).
create trigger teams_touch_updated_at
  before update on public.teams
  for each row
  when (new.updated_at = old.updated_at)
  execute function billing.touch_updated_at();

-- The same guards as the personal wallet's: credits and totals move only with a ledger row.
create trigger teams_guard_credits
  before update of credits, credits_reserved, credits_purchased, credits_spent, credits_refunded, credits_granted,
                   credits_adjusted, credits_reversed, credits_expired on public.teams
  for each row
  when ((new.credits, new.credits_reserved, new.credits_purchased, new.credits_spent, new.credits_refunded,
         new.credits_granted, new.credits_adjusted, new.credits_reversed, new.credits_expired)
        is distinct from
        (old.credits, old.credits_reserved, old.credits_purchased, old.credits_spent, old.credits_refunded,
         old.credits_granted, old.credits_adjusted, old.credits_reversed, old.credits_expired)
        and pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.guard_users_credits();

create trigger teams_guard_credits_on_insert
  before insert on public.teams
  for each row
  when ((new.credits <> 0 or new.credits_reserved <> 0 or new.credits_purchased <> 0 or new.credits_spent <> 0
         or new.credits_refunded <> 0 or new.credits_granted <> 0 or new.credits_adjusted <> 0
         or new.credits_reversed <> 0 or new.credits_expired <> 0)
        and pg_catalog.current_setting('billing.applying_ledger', true) is distinct from 'on')
  execute function billing.guard_users_credits();

create table public.team_members (
  team_id uuid not null references public.teams (id),
  -- No cascade: a recruiter in a team (maybe its last owner) leaves it before their account can go.
  user_id uuid not null references public.users (id),
  role text not null check (role in ('owner', 'admin', 'member')),
  monthly_limit integer check (monthly_limit is null or monthly_limit between 0 and 100000000),
  usage_month date not null default (pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC'))::date,
  used_this_month bigint not null default 0 check (used_this_month >= 0),
  added_by uuid,
  created_at timestamptz not null default pg_catalog.now(),
  primary key (team_id, user_id)
);

comment on table public.team_members is
  'Who belongs to which team, with which role and monthly limit. A row is a membership: removing a member deletes it (their ledger rows and interviews stay, naming them). Written only by the team functions (create_team, accept_invitation, set_member_role, set_member_limit, remove_member, leave_team).';
comment on column public.team_members.team_id is 'The team (public.teams.id).';
comment on column public.team_members.user_id is 'The recruiter (public.users.id).';
comment on column public.team_members.role is 'owner (everything, incl. limits and deleting the team), admin (buys credits, invites, manages members, sees all usage) or member (creates interviews from the team wallet within the limits).';
comment on column public.team_members.monthly_limit is 'Most credits this member may hold or spend from the team wallet per calendar month (UTC); null = no limit of their own (the team''s limit still applies). Set by owners.';
comment on column public.team_members.usage_month is 'The month used_this_month counts (first day, UTC).';
comment on column public.team_members.used_this_month is 'Credits this member held or spent from the team wallet in usage_month, minus what cancels gave back in that month.';
comment on column public.team_members.added_by is 'Who added them: the inviter, or the creator for the first owner.';
comment on column public.team_members.created_at is 'When they joined.';

create index team_members_user_id_idx on public.team_members (user_id);

-- What a membership leaves behind that only an owner may change: the member's limit and this
-- month's usage. An admin may remove a member and invite them again; without this the new row
-- would start with no limit and nothing used, so the round trip would lift an owner's limit.
create table billing.former_team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null,
  monthly_limit integer,
  usage_month date not null,
  used_this_month bigint not null check (used_this_month >= 0),
  left_at timestamptz not null default pg_catalog.now(),
  primary key (team_id, user_id)
);
comment on table billing.former_team_members is
  'The limit and usage of a recruiter''s last membership of a team, kept when it ended (billing.end_membership) and given back to the membership when they accept an invitation to the same team again (then deleted), so removing and re-inviting cannot lift an owner''s limit or reset this month''s usage.';
comment on column billing.former_team_members.team_id is 'The team they left.';
comment on column billing.former_team_members.user_id is 'The recruiter (public.users.id).';
comment on column billing.former_team_members.monthly_limit is 'Their monthly limit when the membership ended (null: none).';
comment on column billing.former_team_members.usage_month is 'The month used_this_month counts (first day, UTC).';
comment on column billing.former_team_members.used_this_month is 'Credits they had held or spent in usage_month, minus what releases gave back since (also after they left).';
comment on column billing.former_team_members.left_at is 'When the membership ended.';
alter table billing.former_team_members enable row level security;
revoke all on table billing.former_team_members from public, anon, authenticated, service_role;

/**
  * Section - Membership checks
  * Used by the row level security policies below and by every team function. Security definer,
  * so a policy on team_members can ask about team_members without recursing into itself.
  * A policy's function is called with the caller's privileges, so the two the policies use live in
  * their own small schema the API roles may use (billing stays unusable to them); it is not in the
  * API's exposed schemas, so nobody can call them over REST.
 */

create schema if not exists team_access;
comment on schema team_access is
  'The two membership lookups row level security policies call (my_team_ids, my_admin_team_ids). Usable by authenticated for that purpose only; not exposed by the API.';
revoke all on schema team_access from public, anon, authenticated, service_role;
grant usage on schema team_access to authenticated;
alter default privileges in schema team_access revoke execute on functions from public;

create or replace function team_access.my_team_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.team_id from public.team_members m where m.user_id = auth.uid();
$$;
comment on function team_access.my_team_ids() is
  'The teams the signed-in user belongs to now (any role). Used by row level security: a removed member is out at their next request.';
revoke execute on function team_access.my_team_ids() from public, anon, authenticated, service_role;
grant execute on function team_access.my_team_ids() to authenticated;

create or replace function team_access.my_admin_team_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.team_id from public.team_members m where m.user_id = auth.uid() and m.role in ('owner', 'admin');
$$;
comment on function team_access.my_admin_team_ids() is
  'The teams the signed-in user is an owner or admin of. Used by row level security (admins see all of a team''s rows).';
revoke execute on function team_access.my_admin_team_ids() from public, anon, authenticated, service_role;
grant execute on function team_access.my_admin_team_ids() to authenticated;

create or replace function billing.current_month()
returns date
language sql
stable
set search_path = ''
as $$
  select (pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC'))::date;
$$;
comment on function billing.current_month() is
  'The first day of the current calendar month in UTC: the period monthly limits count.';
revoke execute on function billing.current_month() from public, anon, authenticated, service_role;

-- Returns the caller's role in the team, or raises: 42501 not_team_member for an outsider, a
-- removed member and a team that does not exist or was deleted (the answer never says which),
-- not_team_admin / not_team_owner when the role is too low.
create or replace function billing.require_team_role(p_team_id uuid, p_at_least text)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_role text;
begin
  select m.role into v_role
    from public.team_members m
   where m.team_id = p_team_id and m.user_id = v_user_id;
  if v_role is null then
    raise exception using
      errcode = '42501',
      message = 'not_team_member',
      detail = pg_catalog.jsonb_build_object('team_id', p_team_id)::text,
      hint = 'You are not a member of this team (or it no longer exists).';
  end if;
  if p_at_least = 'owner' and v_role <> 'owner' then
    raise exception using
      errcode = '42501',
      message = 'not_team_owner',
      detail = pg_catalog.jsonb_build_object('team_id', p_team_id, 'role', v_role)::text,
      hint = 'Only an owner of the team can do this.';
  end if;
  if p_at_least = 'admin' and v_role = 'member' then
    raise exception using
      errcode = '42501',
      message = 'not_team_admin',
      detail = pg_catalog.jsonb_build_object('team_id', p_team_id, 'role', v_role)::text,
      hint = 'Only an owner or admin of the team can do this.';
  end if;
  return v_role;
end;
$$;
comment on function billing.require_team_role(uuid, text) is
  'Returns the signed-in user''s role in the team when it is at least p_at_least (member, admin, owner); else raises 42501 not_team_member (also for a deleted or unknown team), not_team_admin or not_team_owner.';
revoke execute on function billing.require_team_role(uuid, text) from public, anon, authenticated, service_role;

/**
  * Section - Wallets
 */

-- Every wallet, personal and team, for code that reads balances (support, the invariant check).
create view billing.wallets with (security_barrier) as
  select u.id, 'personal'::text as kind, u.credits, u.credits_reserved, u.credits_purchased, u.credits_spent,
         u.credits_refunded, u.credits_granted, u.credits_adjusted, u.credits_reversed, u.credits_expired
    from public.users u
  union all
  select t.id, 'team'::text, t.credits, t.credits_reserved, t.credits_purchased, t.credits_spent,
         t.credits_refunded, t.credits_granted, t.credits_adjusted, t.credits_reversed, t.credits_expired
    from public.teams t;
comment on view billing.wallets is
  'Every wallet: each recruiter''s personal one (public.users) and each team''s (public.teams), with their balances and running totals. The ledger''s user_id is one of these ids.';
comment on column billing.wallets.id is 'The wallet id: public.users.id (personal) or public.teams.id (team); what credit_ledger.user_id names.';
comment on column billing.wallets.kind is 'personal or team.';
comment on column billing.wallets.credits is 'Available credits (the wallet row''s credits).';
comment on column billing.wallets.credits_reserved is 'Credits reserved by holds.';
comment on column billing.wallets.credits_purchased is 'Running total of purchase rows.';
comment on column billing.wallets.credits_spent is 'Running total of spend rows, positive.';
comment on column billing.wallets.credits_refunded is 'Running total of refund rows.';
comment on column billing.wallets.credits_granted is 'Running total of grant rows.';
comment on column billing.wallets.credits_adjusted is 'Running total of adjustment rows (signed).';
comment on column billing.wallets.credits_reversed is 'Running total of reversal rows, positive.';
comment on column billing.wallets.credits_expired is 'Running total of expiration rows, positive.';
revoke all on billing.wallets from public, anon, authenticated, service_role;

-- Locks a wallet row the way apply_credit_change's update does (for callers that must read a
-- wallet's lots or payments before changing it). Returns false when no wallet has that id.
create or replace function billing.lock_wallet(p_wallet_id uuid)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform 1 from public.users u where u.id = p_wallet_id for no key update;
  if found then
    return true;
  end if;
  perform 1 from public.teams t where t.id = p_wallet_id for no key update;
  return found;
end;
$$;
comment on function billing.lock_wallet(uuid) is
  'Locks the wallet row (public.users or public.teams) with the lock a balance change takes; false when there is no such wallet. Lock order: interview, membership, wallet, then lots and payments.';
revoke execute on function billing.lock_wallet(uuid) from public, anon, authenticated, service_role;

-- A wallet with history keeps it: the ledger names wallets without a foreign key (a wallet is a
-- users or a teams row), so deleting one is refused here instead.
create or replace function billing.refuse_wallet_delete()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from public.credit_ledger l where l.user_id = old.id) then
    raise exception using
      errcode = '23503',
      message = 'wallet_has_history',
      detail = pg_catalog.format('%s %s has credit ledger rows', tg_table_name, old.id),
      hint = 'A wallet with credit history cannot be deleted: its ledger rows must keep naming it.';
  end if;
  return old;
end;
$$;
comment on function billing.refuse_wallet_delete() is
  'Trigger: refuses deleting a users or teams row whose wallet has credit ledger rows (23503 wallet_has_history), as a foreign key would.';
revoke execute on function billing.refuse_wallet_delete() from public, anon, authenticated, service_role;

create trigger users_refuse_delete_with_history
  before delete on public.users
  for each row execute function billing.refuse_wallet_delete();

create trigger teams_refuse_delete_with_history
  before delete on public.teams
  for each row execute function billing.refuse_wallet_delete();

/**
  * Section - Member usage
 */

-- One conditional update: the caller is a member (the row exists), the limit holds, and the
-- counter moves, under the membership row's lock. Concurrent spends of one member wait for each
-- other here and re-check the limit against the committed counter.
create or replace function billing.count_member_usage(p_team_id uuid, p_user_id uuid, p_credits integer)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_month date := billing.current_month();
  v_member public.team_members;
begin
  update public.team_members m
     set used_this_month = case when m.usage_month = v_month then m.used_this_month else 0 end + p_credits,
         usage_month = v_month
   where m.team_id = p_team_id and m.user_id = p_user_id
     and (m.monthly_limit is null
          or case when m.usage_month = v_month then m.used_this_month else 0 end + p_credits <= m.monthly_limit);
  if found then
    return;
  end if;
  select * into v_member from public.team_members m where m.team_id = p_team_id and m.user_id = p_user_id;
  if not found then
    perform billing.require_team_role(p_team_id, 'member');
  end if;
  raise exception using
    errcode = 'PT402',
    message = 'member_limit_reached',
    detail = pg_catalog.jsonb_build_object('limit', v_member.monthly_limit,
      'used', case when v_member.usage_month = v_month then v_member.used_this_month else 0 end,
      'required', p_credits, 'resets_at', (v_month + interval '1 month') at time zone 'UTC')::text,
    hint = 'This would pass your monthly credit limit in this team: ask a team owner to raise it.';
end;
$$;
comment on function billing.count_member_usage(uuid, uuid, integer) is
  'Before a member holds or spends p_credits of a team wallet: checks they are a member (42501 not_team_member) and that their monthly limit allows it (PT402 member_limit_reached, detail {limit, used, required, resets_at}), and counts the credits, in one conditional update of their membership row.';
revoke execute on function billing.count_member_usage(uuid, uuid, integer) from public, anon, authenticated, service_role;

-- A release gives back what the hold counted, if it counted in the month still being counted
-- (a hold of last month was last month's usage). A member removed since: their kept usage
-- (billing.former_team_members), which comes back with them if they are invited again.
create or replace function billing.give_back_member_usage(p_team_id uuid, p_user_id uuid, p_credits integer, p_counted_at timestamptz)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_month date := (pg_catalog.date_trunc('month', p_counted_at at time zone 'UTC'))::date;
begin
  update public.team_members m
     set used_this_month = greatest(m.used_this_month - p_credits, 0)
   where m.team_id = p_team_id and m.user_id = p_user_id and m.usage_month = v_month;
  -- A member removed since: what they would bring back if invited again.
  if not found then
    update billing.former_team_members f
       set used_this_month = greatest(f.used_this_month - p_credits, 0)
     where f.team_id = p_team_id and f.user_id = p_user_id and f.usage_month = v_month;
  end if;
end;
$$;
comment on function billing.give_back_member_usage(uuid, uuid, integer, timestamptz) is
  'After a team interview''s hold is released: takes its credits off the member''s usage (or, if they left, off their kept usage in billing.former_team_members) if the hold was counted in the month still being counted. Called before the wallet is locked (lock order: membership, wallet).';
revoke execute on function billing.give_back_member_usage(uuid, uuid, integer, timestamptz) from public, anon, authenticated, service_role;

/**
  * Section - Row level security
 */

alter table public.teams enable row level security;
alter table public.team_members enable row level security;

create policy "Members can read their teams"
  on public.teams for select
  to authenticated
  using (id in (select team_access.my_team_ids()) and deleted_at is null);

create policy "Members read their own membership; admins read the team's"
  on public.team_members for select
  to authenticated
  using (user_id = (select auth.uid()) or team_id in (select team_access.my_admin_team_ids()));

revoke all on table public.teams, public.team_members from public, anon, authenticated, service_role;
grant select on table public.teams, public.team_members to authenticated, service_role;

-- The team's wallet rows: admins read every row, members the rows they made; the lots (what the
-- balance is made of) every member reads. A removed member reads none of it.
create policy "Team admins read the team's ledger; members their own rows"
  on public.credit_ledger for select
  to authenticated
  using (user_id in (select team_access.my_admin_team_ids())
         or (member_id = (select auth.uid()) and user_id in (select team_access.my_team_ids())));

create policy "Team members read the team's credit lots"
  on public.credit_lots for select
  to authenticated
  using (user_id in (select team_access.my_team_ids()));

create policy "Team admins read the team's lot entries"
  on public.credit_lot_entries for select
  to authenticated
  using (user_id in (select team_access.my_admin_team_ids()));

/**
  * Section - Limits left
 */

create or replace function billing.limits_left(p_team_id uuid, p_user_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_month date := billing.current_month();
  v_member public.team_members;
  v_team public.teams;
  v_member_used bigint;
  v_team_used bigint;
begin
  select * into v_member from public.team_members m where m.team_id = p_team_id and m.user_id = p_user_id;
  select * into v_team from public.teams t where t.id = p_team_id;
  v_member_used := case when v_member.usage_month = v_month then v_member.used_this_month else 0 end;
  v_team_used := case when v_team.usage_month = v_month then v_team.used_this_month else 0 end;
  return pg_catalog.jsonb_build_object(
    'member', pg_catalog.jsonb_build_object('monthly_limit', v_member.monthly_limit, 'used', coalesce(v_member_used, 0),
      'remaining', case when v_member.monthly_limit is not null then greatest(v_member.monthly_limit - v_member_used, 0) end),
    'team', pg_catalog.jsonb_build_object('monthly_limit', v_team.monthly_limit, 'used', coalesce(v_team_used, 0),
      'remaining', case when v_team.monthly_limit is not null then greatest(v_team.monthly_limit - v_team_used, 0) end),
    'resets_at', (v_month + interval '1 month') at time zone 'UTC');
end;
$$;
comment on function billing.limits_left(uuid, uuid) is
  'A member''s and their team''s monthly limits this month: {member: {monthly_limit, used, remaining}, team: {monthly_limit, used, remaining}, resets_at}; remaining is null where there is no limit.';
revoke execute on function billing.limits_left(uuid, uuid) from public, anon, authenticated, service_role;

/**
  * Section - Managing a team
  * Changes of roles and membership of one team run one at a time (a transaction-scoped advisory
  * lock per team, which spends never take), so two owners demoting each other cannot leave a team
  * without one.
 */

create or replace function billing.lock_team_membership(p_team_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('team_membership:' || p_team_id::text, 0));
end;
$$;
comment on function billing.lock_team_membership(uuid) is
  'Serialises membership and role changes of one team (an advisory lock until the transaction ends); spends do not take it.';
revoke execute on function billing.lock_team_membership(uuid) from public, anon, authenticated, service_role;

-- A membership change decides on the caller's role as it is once the change holds the team's
-- lock: a role read before waiting (an owner demoted, a member made the last owner meanwhile)
-- would let two changes that each look fine together leave the team without an owner. The first
-- check refuses strangers before they queue for the lock.
create or replace function billing.lock_team_for_change(p_team_id uuid, p_at_least text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform billing.require_team_role(p_team_id, p_at_least);
  perform billing.lock_team_membership(p_team_id);
  return billing.require_team_role(p_team_id, p_at_least);
end;
$$;
comment on function billing.lock_team_for_change(uuid, text) is
  'For membership and role changes: checks the caller''s role (billing.require_team_role), takes the team''s membership lock, and returns the role read again under the lock (raising the same errors if it no longer suffices).';
revoke execute on function billing.lock_team_for_change(uuid, text) from public, anon, authenticated, service_role;

create or replace function billing.check_team_name(p_name text)
returns text
language plpgsql
set search_path = ''
as $$
begin
  -- One line: the name goes into the switcher and into invitation mails' subjects, where a line
  -- break or another control character would forge or break the text around it.
  if p_name is null or pg_catalog.char_length(pg_catalog.btrim(p_name)) not between 1 and 100 or billing.is_blank(p_name)
     or p_name ~ '[\u0001-\u001F\u007F-\u009F\u2028\u2029]' then
    perform billing.raise_invalid_argument('name', 'name must be 1 to 100 characters on one line and contain a visible character');
  end if;
  return pg_catalog.btrim(p_name);
end;
$$;
comment on function billing.check_team_name(text) is
  'Returns the trimmed team name, or raises 22023 invalid_name (blank, longer than 100 characters, or with a line break or another control character).';
revoke execute on function billing.check_team_name(text) from public, anon, authenticated, service_role;

-- Tells a member's open tabs that they left a team (removed, left, or the team deleted), on their
-- own private topic: the SPA leaves the team's channel at once instead of waiting for Realtime to
-- re-check its policy at the next token refresh.
create or replace function billing.notify_membership_ended(p_team_id uuid, p_user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(pg_catalog.jsonb_build_object('team_id', p_team_id, 'removed', true),
    'membership', 'balance:' || p_user_id::text, true);
end;
$$;
comment on function billing.notify_membership_ended(uuid, uuid) is
  'Sends event membership {team_id, removed: true} on the user''s private topic balance:<user id> when they stop being a member of a team.';
revoke execute on function billing.notify_membership_ended(uuid, uuid) from public, anon, authenticated, service_role;

create or replace function billing.raise_last_owner(p_team_id uuid)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = 'PT409',
    message = 'last_owner',
    detail = pg_catalog.jsonb_build_object('team_id', p_team_id)::text,
    hint = 'A team needs an owner: make another member an owner first (or delete the team).';
end;
$$;
comment on function billing.raise_last_owner(uuid) is
  'Raises PT409 last_owner: the change would leave the team without an owner.';
revoke execute on function billing.raise_last_owner(uuid) from public, anon, authenticated, service_role;

create or replace function billing.other_owners(p_team_id uuid, p_user_id uuid)
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select pg_catalog.count(*) from public.team_members m
   where m.team_id = p_team_id and m.role = 'owner' and m.user_id <> p_user_id;
$$;
comment on function billing.other_owners(uuid, uuid) is
  'How many owners the team has besides p_user_id.';
revoke execute on function billing.other_owners(uuid, uuid) from public, anon, authenticated, service_role;

create or replace function public.create_team(name text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_name text := billing.check_team_name(create_team.name);
  v_team_id uuid;
begin
  -- One create_team of a recruiter at a time: two at once would both count 19 owned teams.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('create_team:' || v_user_id::text, 0));
  if (select pg_catalog.count(*) from public.team_members m where m.user_id = v_user_id and m.role = 'owner')
     >= billing.max_owned_teams() then
    raise exception using
      errcode = 'PT409',
      message = 'too_many_teams',
      detail = pg_catalog.jsonb_build_object('limit', billing.max_owned_teams())::text,
      hint = 'You own as many teams as one recruiter may: delete one you no longer use.';
  end if;
  insert into public.teams (name, created_by) values (v_name, v_user_id) returning id into v_team_id;
  insert into public.team_members (team_id, user_id, role, added_by) values (v_team_id, v_user_id, 'owner', v_user_id);
  return pg_catalog.jsonb_build_object('team_id', v_team_id, 'name', v_name, 'role', 'owner');
end;
$$;
comment on function public.create_team(text) is
  'Creates a team workspace with an empty wallet; the signed-in user is its first owner. Returns {team_id, name, role}. Errors: 42501 not_signed_in, 22023 invalid_name (1..100 characters on one line, not blank), PT409 too_many_teams.';
revoke execute on function public.create_team(text) from public, anon, authenticated, service_role;
grant execute on function public.create_team(text) to authenticated;

create or replace function billing.max_owned_teams()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 20;
$$;
comment on function billing.max_owned_teams() is
  'Most teams one recruiter may own (create_team refuses more: too_many_teams).';
revoke execute on function billing.max_owned_teams() from public, anon, authenticated, service_role;

create or replace function public.rename_team(team_id uuid, name text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_name text := billing.check_team_name(rename_team.name);
begin
  perform billing.require_team_role(rename_team.team_id, 'admin');
  update public.teams t set name = v_name where t.id = rename_team.team_id;
  return pg_catalog.jsonb_build_object('team_id', rename_team.team_id, 'name', v_name);
end;
$$;
comment on function public.rename_team(uuid, text) is
  'Owners and admins rename the team. Returns {team_id, name}. Errors: 42501 not_team_member/not_team_admin, 22023 invalid_name.';
revoke execute on function public.rename_team(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.rename_team(uuid, text) to authenticated;

create or replace function public.delete_team(team_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team_id uuid := delete_team.team_id;
  v_team public.teams;
  v_member uuid;
begin
  perform billing.lock_team_for_change(v_team_id, 'owner');
  -- The membership rows before the wallet (the lock order of every team path): a spend holding
  -- its member's row while it waits for the wallet would otherwise deadlock with this.
  perform 1 from public.team_members m where m.team_id = v_team_id for update;
  -- The wallet's lock: no spend or purchase lands between the check and the deletion.
  select * into strict v_team from public.teams t where t.id = v_team_id for no key update;
  if v_team.credits > 0 or v_team.credits_reserved > 0 then
    raise exception using
      errcode = 'PT409',
      message = 'team_has_credits',
      detail = pg_catalog.jsonb_build_object('team_id', v_team_id, 'available', v_team.credits,
        'reserved', v_team.credits_reserved)::text,
      hint = 'The team still has credits: spend them, or wait for its scheduled interviews, before deleting it.';
  end if;
  update public.teams t set deleted_at = pg_catalog.now() where t.id = v_team_id;
  -- Its open invitations die with it (team_invitations is created by a later migration).
  update public.team_invitations i set revoked_at = pg_catalog.now(), revoked_by = billing.require_signed_in()
   where i.team_id = v_team_id and i.accepted_at is null and i.revoked_at is null;
  for v_member in delete from public.team_members m where m.team_id = v_team_id returning m.user_id loop
    perform billing.notify_membership_ended(v_team_id, v_member);
  end loop;
  return pg_catalog.jsonb_build_object('team_id', v_team_id, 'deleted', true);
end;
$$;
comment on function public.delete_team(uuid) is
  'An owner deletes a team that has no credits left (available and reserved both 0): every membership ends (each member''s tabs are told), its open invitations are revoked, and the team disappears from every workspace list; its history stays in the ledger. Returns {team_id, deleted}. Errors: 42501 not_team_member/not_team_owner, PT409 team_has_credits (detail {available, reserved}).';
revoke execute on function public.delete_team(uuid) from public, anon, authenticated, service_role;
grant execute on function public.delete_team(uuid) to authenticated;

create or replace function public.set_member_role(team_id uuid, user_id uuid, role text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team_id uuid := set_member_role.team_id;
  v_target uuid := set_member_role.user_id;
  v_role text := set_member_role.role;
  v_my_role text;
  v_old text;
begin
  if v_role is null or v_role not in ('owner', 'admin', 'member') then
    perform billing.raise_invalid_argument('role', 'role must be owner, admin or member');
  end if;
  v_my_role := billing.lock_team_for_change(v_team_id, 'admin');
  select m.role into v_old from public.team_members m where m.team_id = v_team_id and m.user_id = v_target for update;
  if v_old is null then
    perform billing.raise_unknown('member', 'No member of this team has that id.');
  end if;
  -- Admins manage members and admins; only owners make or unmake owners.
  if (v_old = 'owner' or v_role = 'owner') and v_my_role <> 'owner' then
    perform billing.require_team_role(v_team_id, 'owner');
  end if;
  if v_old = 'owner' and v_role <> 'owner' and billing.other_owners(v_team_id, v_target) = 0 then
    perform billing.raise_last_owner(v_team_id);
  end if;
  update public.team_members m set role = v_role where m.team_id = v_team_id and m.user_id = v_target;
  -- A member may not invite: what they sent while they could is withdrawn with the right.
  if v_role = 'member' then
    perform billing.revoke_invitations_sent_by(v_team_id, v_target);
  end if;
  return pg_catalog.jsonb_build_object('team_id', v_team_id, 'user_id', v_target, 'role', v_role, 'previous_role', v_old);
end;
$$;
comment on function public.set_member_role(uuid, uuid, text) is
  'Changes a member''s role. Admins switch members and admins; only owners make someone an owner or change an owner''s role; the last owner cannot be demoted. Made a member, they lose the invitations they sent (revoked). Returns {team_id, user_id, role, previous_role}. Errors: 42501 not_team_member/not_team_admin/not_team_owner, 22023 invalid_role/unknown_member, PT409 last_owner.';
revoke execute on function public.set_member_role(uuid, uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.set_member_role(uuid, uuid, text) to authenticated;

create or replace function billing.end_membership(p_team_id uuid, p_user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  with gone as (
    delete from public.team_members m where m.team_id = p_team_id and m.user_id = p_user_id
    returning m.team_id, m.user_id, m.monthly_limit, m.usage_month, m.used_this_month
  )
  insert into billing.former_team_members (team_id, user_id, monthly_limit, usage_month, used_this_month)
  select g.team_id, g.user_id, g.monthly_limit, g.usage_month, g.used_this_month from gone g
  on conflict (team_id, user_id) do update
    set monthly_limit = excluded.monthly_limit, usage_month = excluded.usage_month,
        used_this_month = excluded.used_this_month, left_at = pg_catalog.now();
  perform billing.revoke_invitations_sent_by(p_team_id, p_user_id);
  perform billing.notify_membership_ended(p_team_id, p_user_id);
end;
$$;
comment on function billing.end_membership(uuid, uuid) is
  'Deletes a membership (keeping its limit and usage in billing.former_team_members for a return), revokes the open invitations the member sent (billing.revoke_invitations_sent_by) and tells the member''s tabs (billing.notify_membership_ended). Row level security follows at their next request.';
revoke execute on function billing.end_membership(uuid, uuid) from public, anon, authenticated, service_role;

create or replace function public.remove_member(team_id uuid, user_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team_id uuid := remove_member.team_id;
  v_target uuid := remove_member.user_id;
  v_my_role text := billing.lock_team_for_change(v_team_id, 'admin');
  v_old text;
begin
  select m.role into v_old from public.team_members m where m.team_id = v_team_id and m.user_id = v_target for update;
  if v_old is null then
    perform billing.raise_unknown('member', 'No member of this team has that id.');
  end if;
  if v_old = 'owner' and v_my_role <> 'owner' then
    perform billing.require_team_role(v_team_id, 'owner');
  end if;
  if v_old = 'owner' and billing.other_owners(v_team_id, v_target) = 0 then
    perform billing.raise_last_owner(v_team_id);
  end if;
  perform billing.end_membership(v_team_id, v_target);
  return pg_catalog.jsonb_build_object('team_id', v_team_id, 'user_id', v_target, 'removed', true);
end;
$$;
comment on function public.remove_member(uuid, uuid) is
  'Owners and admins remove a member (owners also remove owners; the last owner cannot be removed). The removed recruiter loses access at their next request; their open tabs are told at once. Their interviews and ledger rows stay with the team. Returns {team_id, user_id, removed}. Errors: 42501 not_team_member/not_team_admin/not_team_owner, 22023 unknown_member, PT409 last_owner.';
revoke execute on function public.remove_member(uuid, uuid) from public, anon, authenticated, service_role;
grant execute on function public.remove_member(uuid, uuid) to authenticated;

create or replace function public.leave_team(team_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team_id uuid := leave_team.team_id;
  v_user_id uuid := billing.require_signed_in();
  v_role text := billing.lock_team_for_change(v_team_id, 'member');
begin
  if v_role = 'owner' and billing.other_owners(v_team_id, v_user_id) = 0 then
    perform billing.raise_last_owner(v_team_id);
  end if;
  perform billing.end_membership(v_team_id, v_user_id);
  return pg_catalog.jsonb_build_object('team_id', v_team_id, 'left', true);
end;
$$;
comment on function public.leave_team(uuid) is
  'The signed-in user leaves a team. The last owner cannot (make someone else an owner, or delete the team). Returns {team_id, left}. Errors: 42501 not_team_member, PT409 last_owner.';
revoke execute on function public.leave_team(uuid) from public, anon, authenticated, service_role;
grant execute on function public.leave_team(uuid) to authenticated;

create or replace function billing.check_monthly_limit(p_limit integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_limit is not null and p_limit not between 0 and 100000000 then
    perform billing.raise_invalid_argument('monthly_limit',
      'monthly_limit must be null (no limit) or a whole number of credits from 0 to 100000000');
  end if;
end;
$$;
comment on function billing.check_monthly_limit(integer) is
  'Raises 22023 invalid_monthly_limit unless the limit is null (none) or 0..100000000 credits.';
revoke execute on function billing.check_monthly_limit(integer) from public, anon, authenticated, service_role;

-- A limit change reaches the open tabs it concerns, the way the balance does: the member's own
-- topic for their limit, the team's topic (every member) for the team's. The SPA re-reads the
-- workspace's summary, so "limit left" never waits for a reload.
create or replace function billing.notify_limits_changed(p_team_id uuid, p_topic text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(pg_catalog.jsonb_build_object('team_id', p_team_id), 'limits', p_topic, true);
end;
$$;
comment on function billing.notify_limits_changed(uuid, text) is
  'Sends event limits {team_id} on a private Realtime topic (a member''s balance:<user id>, or the team''s balance:<team id>) when a monthly limit changes.';
revoke execute on function billing.notify_limits_changed(uuid, text) from public, anon, authenticated, service_role;

create or replace function public.set_member_limit(team_id uuid, user_id uuid, monthly_limit integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team_id uuid := set_member_limit.team_id;
  v_target uuid := set_member_limit.user_id;
begin
  perform billing.require_team_role(v_team_id, 'owner');
  perform billing.check_monthly_limit(set_member_limit.monthly_limit);
  update public.team_members m set monthly_limit = set_member_limit.monthly_limit
   where m.team_id = v_team_id and m.user_id = v_target;
  if not found then
    perform billing.raise_unknown('member', 'No member of this team has that id.');
  end if;
  perform billing.notify_limits_changed(v_team_id, 'balance:' || v_target::text);
  return pg_catalog.jsonb_build_object('team_id', v_team_id, 'user_id', v_target, 'limits', billing.limits_left(v_team_id, v_target));
end;
$$;
comment on function public.set_member_limit(uuid, uuid, integer) is
  'Owners set a member''s monthly credit limit (null: none; 0: they cannot hold or spend). A limit below what they used this month blocks further spends until the month ends; nothing is taken back. The member''s open tabs are told (event limits on balance:<user id>). Returns {team_id, user_id, limits}. Errors: 42501 not_team_member/not_team_owner, 22023 invalid_monthly_limit/unknown_member.';
revoke execute on function public.set_member_limit(uuid, uuid, integer) from public, anon, authenticated, service_role;
grant execute on function public.set_member_limit(uuid, uuid, integer) to authenticated;

create or replace function public.set_team_limit(team_id uuid, monthly_limit integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team_id uuid := set_team_limit.team_id;
  v_user_id uuid := billing.require_signed_in();
begin
  perform billing.require_team_role(v_team_id, 'owner');
  perform billing.check_monthly_limit(set_team_limit.monthly_limit);
  update public.teams t set monthly_limit = set_team_limit.monthly_limit where t.id = v_team_id;
  perform billing.notify_limits_changed(v_team_id, 'balance:' || v_team_id::text);
  return pg_catalog.jsonb_build_object('team_id', v_team_id, 'limits', billing.limits_left(v_team_id, v_user_id));
end;
$$;
comment on function public.set_team_limit(uuid, integer) is
  'Owners set the team''s monthly credit limit for all members together (null: none). Every member''s open tab is told (event limits on balance:<team id>). Returns {team_id, limits}. Errors: 42501 not_team_member/not_team_owner, 22023 invalid_monthly_limit.';
revoke execute on function public.set_team_limit(uuid, integer) from public, anon, authenticated, service_role;
grant execute on function public.set_team_limit(uuid, integer) to authenticated;

create or replace function public.team_members_usage(team_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_team_id uuid := team_members_usage.team_id;
  v_user_id uuid := billing.require_signed_in();
  v_role text := billing.require_team_role(v_team_id, 'member');
  v_month date := billing.current_month();
begin
  return pg_catalog.jsonb_build_object('team_id', v_team_id, 'role', v_role,
    'resets_at', (v_month + interval '1 month') at time zone 'UTC',
    'members', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'user_id', m.user_id, 'email', u.email, 'name', u.name, 'role', m.role, 'joined_at', m.created_at,
               'monthly_limit', m.monthly_limit,
               'used_this_month', case when m.usage_month = v_month then m.used_this_month else 0 end,
               'remaining', case when m.monthly_limit is not null
                                 then greatest(m.monthly_limit - case when m.usage_month = v_month then m.used_this_month else 0 end, 0) end)
             order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, u.email, m.user_id)
        from public.team_members m
        join public.users u on u.id = m.user_id
       where m.team_id = v_team_id and (v_role in ('owner', 'admin') or m.user_id = v_user_id)), '[]'::jsonb));
end;
$$;
comment on function public.team_members_usage(uuid) is
  'The team''s members with role, monthly limit and credits used this month (UTC), owners first: owners and admins see everyone, a member only themselves. Returns {team_id, role (the caller''s), resets_at, members: [{user_id, email, name, role, joined_at, monthly_limit, used_this_month, remaining}]}. Errors: 42501 not_signed_in/not_team_member.';
revoke execute on function public.team_members_usage(uuid) from public, anon, authenticated, service_role;
grant execute on function public.team_members_usage(uuid) to authenticated;

create or replace function public.my_workspaces()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
begin
  return (
    select pg_catalog.jsonb_agg(w.ws order by w.sort, w.name, w.id)
      from (select 0 as sort, coalesce(u.name, u.email, 'Personal') as name, u.id,
                   pg_catalog.jsonb_build_object('id', u.id, 'kind', 'personal', 'team_id', null, 'name', 'Personal',
                     'role', 'owner', 'credits', u.credits, 'reserved', u.credits_reserved) as ws
              from public.users u where u.id = v_user_id
            union all
            select 1, t.name, t.id,
                   pg_catalog.jsonb_build_object('id', t.id, 'kind', 'team', 'team_id', t.id, 'name', t.name,
                     'role', m.role, 'credits', t.credits, 'reserved', t.credits_reserved)
              from public.team_members m join public.teams t on t.id = m.team_id
             where m.user_id = v_user_id and t.deleted_at is null) w);
end;
$$;
comment on function public.my_workspaces() is
  'The workspaces of the signed-in user for the switcher: their personal one first, then each team they belong to by name: [{id, kind (personal or team), team_id (null for personal), name, role, credits, reserved}]. Error: 42501 not_signed_in.';
revoke execute on function public.my_workspaces() from public, anon, authenticated, service_role;
grant execute on function public.my_workspaces() to authenticated;
