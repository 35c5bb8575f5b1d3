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
  /** Available credits (users.credits). */
  balance: number;
  /** Credits held by scheduled interviews (users.credits_reserved). */
  reserved: number;
  ledgerSum: number;
  /** Breaks of billing.credit_invariant_violations (reserved part, totals, lots); 0 when all hold. */
  violations: number;
  badRunningSums: number;
}

export async function ledgerState(userId: string): Promise<LedgerState> {
  return withOwnerClient(async (client) => {
    const r = await client.query<{ balance: number; reserved: number; ledger_sum: string; bad: string; violations: string }>(`
      select u.credits as balance, u.credits_reserved as reserved,
             (select count(*) from billing.credit_invariant_violations(u.id)) as violations,
             coalesce((select sum(delta) from public.credit_ledger where user_id = u.id), 0) as ledger_sum,
             (select count(*) from (
                select balance_after, sum(delta) over (order by id) as running
                  from public.credit_ledger where user_id = u.id) l
               where l.balance_after <> l.running) as bad
        from public.users u where u.id = $1`, [userId]);
    const row = r.rows[0];
    if (!row) throw new Error(`no public.users row for ${userId}`);
    return { balance: row.balance, reserved: row.reserved, ledgerSum: Number(row.ledger_sum), badRunningSums: Number(row.bad), violations: Number(row.violations) };
  });
}

function isDatabaseError(error: unknown): error is pg.DatabaseError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/** One call of a concurrent run; `as: 'service_role'` runs it as the server side would (the AI interview runner). */
export interface ConcurrentCall { text: string; values: unknown[]; as?: 'authenticated' | 'service_role' }

/** Claims of one API caller: a recruiter's JWT, or the service role's (no subject). */
function claimsOf(role: 'authenticated' | 'service_role', userId: string | null): string {
  return JSON.stringify(role === 'service_role' ? { role } : { sub: userId, role, aud: 'authenticated' });
}

/** One connection in its own transaction acting as an API caller, and its backend pid (to see it wait). */
export interface CallerSession { client: pg.Client; pid: number }

export async function openCaller(role: 'authenticated' | 'service_role', userId: string | null): Promise<CallerSession> {
  const client = new pg.Client({ connectionString: TEST_DB_URL });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  await client.query('begin');
  await client.query(`set local role ${role}`);
  await client.query(`select set_config('request.jwt.claims', $1, true)`, [claimsOf(role, userId)]);
  return { client, pid: rows[0].pid };
}

/** Runs one call on an open caller session and commits it (or rolls back and returns the error). */
export async function callAndCommit<T>(session: CallerSession, text: string, values: unknown[]): Promise<Outcome<T>> {
  try {
    const r = await session.client.query<{ result: T }>(text, values);
    await session.client.query('commit');
    const row = r.rows[0];
    if (!row) throw new Error(`no row from ${text}`);
    return { ok: true, value: row.result };
  } catch (error) {
    await session.client.query('rollback').catch(() => undefined);
    if (isDatabaseError(error)) return { ok: false, code: error.code ?? '', message: error.message, detail: error.detail };
    throw error;
  }
}

/** Waits until every backend in `pids` is waiting for a lock (so the order they queued in is known). */
export async function waitUntilWaitingForLocks(pids: number[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await withOwnerClient(async (client) => {
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where pid = any($1) and wait_event_type = 'Lock'`, [pids]);
      if (rows[0].n === pids.length) return;
      if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${pids.length} sessions are waiting for a lock`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
}

/**
 * Opens `count` connections, puts each in its own transaction as `userId` (role authenticated,
 * or service_role where the call says so), waits until all are ready, then runs `sql` on all of
 * them at once and commits each.
 */
export async function runConcurrently<T>(
  count: number,
  userId: string,
  sql: (index: number) => ConcurrentCall,
): Promise<Outcome<T>[]> {
  const clients = Array.from({ length: count }, () => new pg.Client({ connectionString: TEST_DB_URL }));
  const calls = Array.from({ length: count }, (_, index) => sql(index));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    await Promise.all(clients.map(async (c, index) => {
      const role = calls[index].as ?? 'authenticated';
      await c.query('begin');
      await c.query(`set local role ${role}`);
      await c.query(`select set_config('request.jwt.claims', $1, true)`, [claimsOf(role, userId)]);
    }));
    return await Promise.all(clients.map(async (c, index): Promise<Outcome<T>> => {
      const { text, values } = calls[index];
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
