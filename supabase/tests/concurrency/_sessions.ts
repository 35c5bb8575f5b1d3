// Helpers for the concurrency tests: many real Postgres connections, each acting as one
// PostgREST request would (own transaction, SET LOCAL ROLE authenticated, JWT claims), released
// together so they really contend for the same balance row.
import crypto from 'node:crypto';
import pg from 'pg';

import { TEST_DB_URL } from '../../../test-support/stack.ts';

/** What one call ended with: its result, or the SQLSTATE of its error. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string; detail?: string };

export async function withOwnerClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DB_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A recruiter created the way sign-up does (insert into auth.users; the trigger adds public.users). */
export async function createUser(prefix: string, credits: number): Promise<string> {
  const id = crypto.randomUUID();
  await withOwnerClient(async (client) => {
    await client.query(
      `insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ($1, 'authenticated', 'authenticated', $2, '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
      [id, `${prefix}-${id}@concurrency.test`]);
    if (credits > 0) {
      // A postgres session without JWT claims may grant, like the seed does.
      await client.query(`select public.add_credits($1, $2, 'grant', 'concurrency test setup')`, [id, credits]);
    }
  });
  return id;
}

export interface LedgerState {
  balance: number;
  ledgerSum: number;
  /** Breaks of billing.credit_invariant_violations (reserved part, totals, lots); 0 when all hold. */
  violations: number;
  badRunningSums: number;
}

export async function ledgerState(userId: string): Promise<LedgerState> {
  return withOwnerClient(async (client) => {
    const r = await client.query<{ balance: number; ledger_sum: string; bad: string; violations: string }>(`
      select u.credits as balance,
             (select count(*) from billing.credit_invariant_violations(u.id)) as violations,
             coalesce((select sum(delta) from public.credit_ledger where user_id = u.id), 0) as ledger_sum,
             (select count(*) from (
                select balance_after, sum(delta) over (order by id) as running
                  from public.credit_ledger where user_id = u.id) l
               where l.balance_after <> l.running) as bad
        from public.users u where u.id = $1`, [userId]);
    const row = r.rows[0];
    if (!row) throw new Error(`no public.users row for ${userId}`);
    return { balance: row.balance, ledgerSum: Number(row.ledger_sum), badRunningSums: Number(row.bad), violations: Number(row.violations) };
  });
}

function isDatabaseError(error: unknown): error is pg.DatabaseError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * Opens `count` connections, puts each in its own transaction as `userId` (role authenticated),
 * waits until all are ready, then runs `sql` on all of them at once and commits each.
 */
export async function runConcurrently<T>(
  count: number,
  userId: string,
  sql: (index: number) => { text: string; values: unknown[] },
): Promise<Outcome<T>[]> {
  const clients = Array.from({ length: count }, () => new pg.Client({ connectionString: TEST_DB_URL }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const claims = JSON.stringify({ sub: userId, role: 'authenticated', aud: 'authenticated' });
    await Promise.all(clients.map(async (c) => {
      await c.query('begin');
      await c.query('set local role authenticated');
      await c.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
    }));
    return await Promise.all(clients.map(async (c, index): Promise<Outcome<T>> => {
      const { text, values } = sql(index);
      try {
        const r = await c.query<{ result: T }>(text, values);
        await c.query('commit');
        const row = r.rows[0];
        if (!row) throw new Error(`no row from ${text}`);
        return { ok: true, value: row.result };
      } catch (error) {
        await c.query('rollback').catch(() => undefined);
        if (isDatabaseError(error)) return { ok: false, code: error.code ?? '', message: error.message, detail: error.detail };
        throw error;
      }
    }));
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

export function countBy<T>(outcomes: Outcome<T>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.ok ? 'ok' : o.code;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
