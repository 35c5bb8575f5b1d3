// Crash: the Postgres postmaster (and its backends) are SIGKILLed in the middle of a spend load,
// then restarted (crash recovery). Every spend that returned success is in the ledger with the
// balance it reported; every spend the server refused is not; a spend whose connection died
// mid-call is "in doubt", and retrying it with its idempotency key settles it exactly once.
// Runs on a throwaway cluster of its own (.local/crash-pg, on a free port): never the shared one.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThrowawayCluster } from '../../../scripts/lib/throwaway-cluster.ts';
import { makeBenchUsers, type BenchUser } from '../../../scripts/bench/users.ts';
import { loadStackEnv } from '../../../scripts/lib/stack-env.ts';
import { expectInvariant } from './_invariant.ts';
import { freePort } from '../../../test-support/stack.ts';

const DATABASE = 'dev_rel_crash';
const cluster = new ThrowawayCluster({ name: 'crash-pg', port: await freePort(), database: DATABASE });

interface Outcome { key: string; user: BenchUser; kind: 'success' | 'refused' | 'in_doubt'; ledgerId?: number; balance?: number; code?: string }

let rich: BenchUser[];
let poor: BenchUser;

beforeAll(async () => {
  await cluster.create();
  await cluster.start();
  await cluster.buildDatabase();
  const env = await loadStackEnv();
  rich = await makeBenchUsers(cluster.url(DATABASE), env, 4, 100_000, 'crash-rich-');
  [poor] = await makeBenchUsers(cluster.url(DATABASE), env, 1, 0, 'crash-poor-');
  const c = new pg.Client({ connectionString: cluster.url(DATABASE) });
  await c.connect();
  await c.query("select public.add_credits($1, 20, 'grant', 'crash test')", [poor.id]);
  await c.end();
}, 120_000);

afterAll(async () => {
  await cluster.remove();
});

async function connectAs(user: BenchUser): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: cluster.url(DATABASE), connectionTimeoutMillis: 2000 });
  client.on('error', () => {}); // the crash is expected; the failed query reports it
  await client.connect();
  await client.query('set role authenticated');
  await client.query("select pg_catalog.set_config('request.jwt.claims', $1, false)", [user.claims]);
  return client;
}

const SPEND = 'select public.deduct_credits(1, $1, $2) as result';

/** Spends in a loop until the connection dies; records what each call returned. */
async function spender(worker: number, user: BenchUser, outcomes: Outcome[]): Promise<void> {
  const client = await connectAs(user);
  for (let i = 0; ; i += 1) {
    const key = `crash-${worker}-${i}`;
    try {
      const { rows } = await client.query<{ result: { balance: number; ledger_id: number } }>(SPEND, ['crash load', key]);
      outcomes.push({ key, user, kind: 'success', ledgerId: rows[0].result.ledger_id, balance: rows[0].result.balance });
    } catch (error) {
      const code = (error as { code?: string }).code;
      // An error the server sent (a SQLSTATE) is a refusal: its transaction rolled back. Anything
      // else (ECONNRESET, "Connection terminated") is a connection that died with the call on the
      // wire, as is a server-sent shutdown: it may or may not have committed.
      if (error instanceof pg.DatabaseError && code && !code.startsWith('57P') && !code.startsWith('08')) {
        outcomes.push({ key, user, kind: 'refused', code });
        continue;
      }
      outcomes.push({ key, user, kind: 'in_doubt', code });
      await client.end().catch(() => {});
      return;
    }
  }
}

describe('crash during a spend load', () => {
  it('SIGKILL of the postmaster loses no acknowledged spend and invents none', async () => {
    const outcomes: Outcome[] = [];
    const workers = [...rich.map((u, i) => spender(i, u, outcomes)), spender(100, poor, outcomes), spender(101, poor, outcomes)];
    await new Promise((r) => setTimeout(r, 1500));
    await cluster.kill();
    await Promise.all(workers);
    await cluster.start();

    const successes = outcomes.filter((o) => o.kind === 'success');
    const refused = outcomes.filter((o) => o.kind === 'refused');
    const inDoubt = outcomes.filter((o) => o.kind === 'in_doubt');
    console.log(`crash: ${successes.length} acknowledged, ${refused.length} refused, ${inDoubt.length} in doubt`);
    expect(successes.length).toBeGreaterThan(50);
    expect(refused.length).toBeGreaterThan(0); // the poor user ran out: PT402
    expect(new Set(refused.map((o) => o.code))).toEqual(new Set(['PT402']));
    expect(inDoubt.length).toBe(workers.length);

    const db = new pg.Client({ connectionString: cluster.url(DATABASE) });
    await db.connect();
    try {
      const { rows } = await db.query<{ idempotency_key: string; id: string; balance_after: number }>(
        "select idempotency_key, id, balance_after from public.credit_ledger where idempotency_key like 'crash-%'");
      const ledger = new Map(rows.map((r) => [r.idempotency_key, r]));
      for (const o of successes) {
        expect(ledger.get(o.key), `acknowledged spend ${o.key} lost`).toMatchObject({ id: String(o.ledgerId), balance_after: o.balance });
      }
      for (const o of refused) expect(ledger.has(o.key), `refused spend ${o.key} is in the ledger`).toBe(false);
      const known = new Set(outcomes.map((o) => o.key));
      expect([...ledger.keys()].filter((k) => !known.has(k))).toEqual([]);

      for (const user of [...rich, poor]) await expectInvariant(db, user.id);
      const { rows: users } = await db.query<{ credits: number }>('select credits from public.users where id = $1', [poor.id]);
      expect(users[0].credits).toBe(0);

      // The in-doubt calls, retried with their keys: each ends up in the ledger exactly once.
      for (const o of inDoubt) {
        const client = await connectAs(o.user);
        try {
          const committed = ledger.has(o.key);
          const { rows: again } = await client.query<{ result: { replayed: boolean } }>(SPEND, ['crash load', o.key]).catch((error: { code?: string }) => {
            if (o.user === poor && error.code === 'PT402') return { rows: [] };
            throw error;
          });
          if (again.length) expect(again[0].result.replayed, o.key).toBe(committed);
        } finally {
          await client.end();
        }
      }
      const { rows: dupes } = await db.query("select idempotency_key from public.credit_ledger where idempotency_key like 'crash-%' group by 1 having count(*) > 1");
      expect(dupes).toEqual([]);
      for (const user of [...rich, poor]) await expectInvariant(db, user.id);
    } finally {
      await db.end();
    }
  }, 120_000);
});
