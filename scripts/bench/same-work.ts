// "Same-work floor": bare SQL doing exactly the writes a spend makes, on the real tables (their
// checks, indexes, foreign keys and triggers, the balance broadcast included), in one statement
// and without the function around it. deduct_credits against it measures what the function
// itself costs (call path, argument checks, auth.uid(), its statements, its answer); against the
// least ledgered spend (ledgered.ts) it measures what the writes cost. Keep these scripts in step
// with billing.apply_credit_change: when a spend writes another row, or one fewer, so does its floor.
//
// Team spends: the bench users are also members of bench teams — 1,000 teams of 10 members each
// (uniform), and one hot team whose wallet 100 members spend from — every member with a monthly
// limit, and every team with one, so the limit checks run as they would.
import pg from 'pg';
import { USERS } from './pgbench.ts';

export const TEAM_SIZE = 10;
export const HOT_TEAM_MEMBERS = 100;
const TEAMS = USERS / TEAM_SIZE;

/**
 * The role the floors connect as: its sessions have billing.applying_ledger on, the flag
 * apply_credit_change sets, so the guard triggers let its writes through as they let the function's.
 */
export const FLOOR_ROLE = 'bench_floor';

/** Teams, memberships and their floats (run after seedBenchUsers). */
export async function seedBenchTeams(url: string, hotCredits: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      create role ${FLOOR_ROLE} login superuser password 'postgres';
      alter role ${FLOOR_ROLE} set billing.applying_ledger = 'on';
      create table bench.teams (t int primary key, id uuid not null);
      insert into public.teams (name, created_by, monthly_limit)
      select 'bench team ' || t, (select id from bench.users where n = t * ${TEAM_SIZE}), 100000000
        from generate_series(0, ${TEAMS}) t;
      insert into bench.teams (t, id) select substr(name, 12)::int, id from public.teams where name like 'bench team %';
      -- k 1..USERS: member n of team ceil(n / TEAM_SIZE) (uniform); k above USERS: the hot team's
      -- (team 0), members 1..HOT_TEAM_MEMBERS.
      create table bench.members (k int primary key, team_id uuid not null, user_id uuid not null, claims text not null);
      insert into bench.members (k, team_id, user_id, claims)
      select u.n, t.id, u.id, u.claims from bench.users u join bench.teams t on t.t = (u.n + ${TEAM_SIZE - 1}) / ${TEAM_SIZE};
      insert into bench.members (k, team_id, user_id, claims)
      select ${USERS} + u.n, t.id, u.id, u.claims from bench.users u join bench.teams t on t.t = 0 where u.n <= ${HOT_TEAM_MEMBERS};
      insert into public.team_members (team_id, user_id, role, monthly_limit)
      select m.team_id, m.user_id, 'member', 100000000 from bench.members m;`);
    await client.query(`select billing.apply_credit_change(id, 10000, 'grant', 'seed', 'benchmark float') from bench.teams`);
    for (let granted = 10_000; granted < hotCredits; granted += 10_000) {
      await client.query(`select billing.apply_credit_change(id, 10000, 'grant', 'seed', 'benchmark float') from bench.teams where t = 0`);
    }
    // A low-balance alert the spends never reach, as on the personal wallets (bench/pgbench.ts).
    await client.query(`update public.teams set low_balance_threshold = 100 where id in (select id from bench.teams)`);
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}

const pickMember = (hot: boolean): string =>
  (hot ? `\\set k random(${USERS + 1}, ${USERS + HOT_TEAM_MEMBERS})\n` : `\\set k random(1, ${USERS})\n`);

/** deduct_credits(1) from a team wallet, by one of its members (the claims PostgREST would set). */
export function teamDeductScript(hot: boolean): string {
  return `${pickMember(hot)}select public.deduct_credits(1, null, null, s.team_id) from (select set_config('request.jwt.claims', claims, true), team_id from bench.members where k = :k) s;\n`;
}

// The lot a spend takes from: the first in spend order with credits left, not past its expiry.
const firstLot = (wallet: string): string => `(select f.id from public.credit_lots f
      where f.user_id = ${wallet} and f.remaining > 0 and (f.expires_at is null or f.expires_at > now())
      order by f.priority, f.expires_at nulls last, f.id limit 1)`;

// The wallet row (updated_at set in the same update, as apply_credit_change does), the lot, and
// the ledger row naming the lot (one lot covers a 1-credit spend: no lot entry row); the balance
// broadcast is the wallet's trigger.
const personalFloor = `with w as (
    update public.users set credits = credits - 1, credits_spent = credits_spent + 1, updated_at = now()
     where id = (select id from bench.users where n = :n) and credits >= 1
    returning id, credits, credits_reserved
  ), l as (
    update public.credit_lots set remaining = remaining - 1, spent = spent + 1
     where id = ${firstLot('(select id from w)')} and remaining >= 1
    returning id
  )
  insert into public.credit_ledger (user_id, delta, balance_after, reserved_delta, reserved_after, kind, reason, actor, lot_id)
  select w.id, -1, w.credits, 0, w.credits_reserved, 'spend', 'Credits spent', 'user:' || w.id, l.id from w, l;`;

// The same, on a team wallet: first the member's monthly counter (with their limit), then the
// team's row (with the team's limit and counter), as deduct_credits locks them.
const month = `(date_trunc('month', now() at time zone 'UTC'))::date`;
const teamFloor = `with m as (
    update public.team_members
       set used_this_month = case when usage_month = ${month} then used_this_month else 0 end + 1, usage_month = ${month}
     where (team_id, user_id) = (select team_id, user_id from bench.members where k = :k)
       and (monthly_limit is null or case when usage_month = ${month} then used_this_month else 0 end + 1 <= monthly_limit)
    returning team_id, user_id
  ), w as (
    update public.teams
       set credits = credits - 1, credits_spent = credits_spent + 1, updated_at = now(),
           used_this_month = case when usage_month = ${month} then used_this_month else 0 end + 1, usage_month = ${month}
     where id = (select team_id from m) and credits >= 1
       and (monthly_limit is null or case when usage_month = ${month} then used_this_month else 0 end + 1 <= monthly_limit)
    returning id, credits, credits_reserved
  ), l as (
    update public.credit_lots set remaining = remaining - 1, spent = spent + 1
     where id = ${firstLot('(select id from w)')} and remaining >= 1
    returning id
  )
  insert into public.credit_ledger (user_id, member_id, delta, balance_after, reserved_delta, reserved_after, kind, reason, actor, lot_id)
  select w.id, m.user_id, -1, w.credits, 0, w.credits_reserved, 'spend', 'Credits spent', 'user:' || m.user_id, l.id from w, m, l;`;

const oneLine = (sql: string): string => sql.replace(/\s*\n\s*/g, ' ');

export function personalFloorScript(hot: boolean): string {
  return `${hot ? '\\set n 1\n' : `\\set n random(1, ${USERS})\n`}${oneLine(personalFloor)}\n`;
}

export function teamFloorScript(hot: boolean): string {
  return `${pickMember(hot)}${oneLine(teamFloor)}\n`;
}
