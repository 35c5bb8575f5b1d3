-- The live balance: Broadcast from Database on a private channel per account, the way Supabase
-- recommends at scale. Each committed change of public.users.credits is written to
-- realtime.messages (realtime.send), Realtime reads it from the WAL once and hands it to the
-- subscribers of `balance:<user id>`; no per-subscriber work happens in the database.
-- Who may join that topic is decided once, at join (and token refresh), by the RLS policy below.

create function billing.broadcast_balance()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    pg_catalog.jsonb_build_object('user_id', new.id, 'wallet_id', new.id, 'credits', new.credits, 'reserved', new.credits_reserved),
    'balance',
    'balance:' || new.id::text,
    true
  );
  return null;
end;
$$;
comment on function billing.broadcast_balance() is
  'Trigger on wallet updates (public.users and public.teams) of credits or credits_reserved: sends {user_id and wallet_id (both the wallet id), credits (available), reserved} as event "balance" to the private Realtime topic balance:<wallet id>.';
revoke execute on function billing.broadcast_balance() from public, anon, authenticated, service_role;

create trigger broadcast_balance
  after update of credits, credits_reserved on public.users
  for each row
  when (old.credits is distinct from new.credits or old.credits_reserved is distinct from new.credits_reserved)
  execute function billing.broadcast_balance();

-- A team wallet: the same message on balance:<team id>.
create trigger broadcast_balance
  after update of credits, credits_reserved on public.teams
  for each row
  when (old.credits is distinct from new.credits or old.credits_reserved is distinct from new.credits_reserved)
  execute function billing.broadcast_balance();

-- Realtime Authorization: a signed-in user may receive (SELECT) broadcasts on their own balance
-- topic only, and only while their token is unexpired. No INSERT policy: clients cannot send on
-- it, so nobody can fake a balance message; only the trigger (security definer) writes.
-- (The members of a team receive its topic: the second policy below.)
create policy "balance topic: its owner receives"
  on realtime.messages
  for select
  to authenticated
  using (
    realtime.messages.extension = 'broadcast'
    and (select realtime.topic()) = 'balance:' || (select auth.uid())::text
    and (select (auth.jwt() ->> 'exp')::numeric) > (select extract(epoch from pg_catalog.now()))
  );

-- postgres_changes on public.users stays available (UPDATE events; RLS decides which subscriber
-- sees which row): the bench compares both paths in one run.
do $$
begin
  if not exists (
    select 1 from pg_catalog.pg_publication_tables
     where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'users'
  ) then
    alter publication supabase_realtime add table public.users;
  end if;
end
$$;

-- A team's balance topic: its current members, while their token is unexpired. Realtime checks
-- this when a channel joins and when its token is refreshed: a removed member's open channel ends
-- at the latest at their next refresh (the SPA leaves at once when the membership message on
-- their own topic tells it, billing.notify_membership_ended).
create policy "team balance topic: its members receive"
  on realtime.messages
  for select
  to authenticated
  using (
    realtime.messages.extension = 'broadcast'
    and (select realtime.topic()) in (select 'balance:' || t::text from team_access.my_team_ids() t)
    and (select (auth.jwt() ->> 'exp')::numeric) > (select extract(epoch from pg_catalog.now()))
  );
