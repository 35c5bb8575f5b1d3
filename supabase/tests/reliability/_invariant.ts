// The ledger invariant, checked straight in the database: users.credits = sum(delta) and each
// row's balance_after is the running sum in id order (the README's guarantee), plus every other
// rule billing.credit_invariant_violations knows (reserved part, running totals, credit lots).
import type pg from 'pg';

export interface LedgerState { credits: number; sum: number; rows: number; runningSumBreaks: number }

export async function ledgerState(db: pg.Pool | pg.Client, userId: string): Promise<LedgerState> {
  const { rows } = await db.query<{ credits: number; sum: string; rows: string; breaks: string }>(`
    select u.credits,
           coalesce((select sum(delta) from public.credit_ledger where user_id = u.id), 0) as sum,
           (select count(*) from public.credit_ledger where user_id = u.id) as rows,
           (select count(*) from (
              select balance_after, sum(delta) over (order by id) as running
                from public.credit_ledger where user_id = u.id) l
             where l.balance_after <> l.running) as breaks
      from public.users u where u.id = $1`, [userId]);
  if (!rows[0]) throw new Error(`no public.users row for ${userId}`);
  return { credits: rows[0].credits, sum: Number(rows[0].sum), rows: Number(rows[0].rows), runningSumBreaks: Number(rows[0].breaks) };
}

/** Throws unless the invariant holds for the user. */
export async function expectInvariant(db: pg.Pool | pg.Client, userId: string): Promise<LedgerState> {
  const state = await ledgerState(db, userId);
  const { rows: violations } = await db.query('select rule, detail from billing.credit_invariant_violations($1)', [userId]);
  if (state.credits !== state.sum || state.runningSumBreaks !== 0 || state.credits < 0 || violations.length > 0) {
    throw new Error(`ledger invariant broken for ${userId}: ${JSON.stringify({ state, violations })}`);
  }
  return state;
}
