// "Least ledgered spend": the least any ledgered credit system must do per spend — one conditional
// UPDATE of a bare balance and one INSERT into a bare ledger table (a foreign key, one index) —
// as the baseline deduct_credits is measured against (issue 14; target 0.9 once spends use lots).
import pg from 'pg';
import { pick } from './pgbench.ts';

/** The bare balances and ledger, copied from the bench users' balances (run after seedBenchUsers). */
export async function seedLeastLedgered(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      create table bench.ledgered_balances (id uuid primary key, credits integer not null check (credits >= 0));
      insert into bench.ledgered_balances select id, credits from public.users where email like 'bench%@bench.test';
      create table bench.ledger (
        id bigint generated always as identity,
        user_id uuid not null references bench.ledgered_balances (id),
        delta integer not null,
        balance_after integer not null
      );
      create index ledger_user_id_id_idx on bench.ledger (user_id, id desc);`);
    // The same floor behind the call path deduct_credits has (PostgREST's claims, a security
    // definer PL/pgSQL function, auth.uid(), a JSON answer): what is left of the gap between the
    // two is what deduct_credits does beyond the floor (lots, totals, argument and key checks, the
    // balance broadcast), not the cost of being a function.
    await client.query(`
      create function bench.least_ledgered_spend(amount integer) returns jsonb
      language plpgsql security definer set search_path = '' as $$
      declare
        v_user uuid := auth.uid();
        v_balance integer;
      begin
        with c as (update bench.ledgered_balances set credits = credits - amount where id = v_user and credits >= amount
                   returning id, credits)
        insert into bench.ledger (user_id, delta, balance_after) select id, -amount, credits from c
        returning balance_after into v_balance;
        if v_balance is null then
          raise exception using errcode = 'PT402', message = 'insufficient_credits';
        end if;
        return pg_catalog.jsonb_build_object('balance', v_balance);
      end $$;`);
    await client.query('vacuum analyze bench.ledgered_balances');
  } finally {
    await client.end();
  }
}

// One statement, as apply_credit_change writes it: the insert happens only if the update did.
export function leastLedgeredScript(hot: boolean): string {
  return `${pick(hot)}with c as (update bench.ledgered_balances set credits = credits - 1 where id = (select id from bench.users where n = :n) and credits >= 1 returning id, credits) insert into bench.ledger (user_id, delta, balance_after) select id, -1, credits from c;\n`;
}

// The floor, called the way deduct_credits is (claims for the signed-in user, then the function).
export function leastLedgeredFunctionScript(hot: boolean): string {
  return `${pick(hot)}select bench.least_ledgered_spend(1) from (select set_config('request.jwt.claims', claims, true) from bench.users where n = :n) s;\n`;
}
