// Row-level security through the API on the application's tables: user B never reads user A's
// rows, and neither anon nor a signed-in user can change `credits` or grant credits by any
// route (rpc, PATCH, POST insert, upsert, DELETE). The RLS matrix reads every table of the API's
// schema as anon, its owner, another user and the service role; the tables come from the catalog,
// so a new readable table without an entry in MATRIX fails it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, balanceOf, closeDb, db, grantCredits, serviceClient, signUpUser, stackEnv, API_URL, type SignedUpUser } from '../../../test-support/stack.ts';

let alice: SignedUpUser;
let bob: SignedUpUser;
let aliceInterview: string;

beforeAll(async () => {
  alice = await signUpUser('rls-alice');
  bob = await signUpUser('rls-bob');
  await grantCredits(alice.user.id, 6);
  const created = await alice.client.rpc('create_interview', { job_position: 'Secret role', duration_minutes: 30 });
  if (created.error) throw new Error(created.error.message);
  aliceInterview = created.data.interview_id;
});

afterAll(closeDb);

describe('reads', () => {
  it.each(['users', 'credit_ledger', 'interviews', 'payments'])('user B reads none of user A\'s %s rows', async (table) => {
    const column = table === 'users' ? 'id' : 'user_id';
    const { data, error } = await bob.client.from(table).select('*').eq(column, alice.user.id);
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('a user reads exactly their own users row; anon reads no users', async () => {
    const { data } = await alice.client.from('users').select('id, credits');
    expect(data).toEqual([{ id: alice.user.id, credits: 5 }]);
    // Depending on the grants, anon gets either no rows or 42501 (401): never data.
    for (const table of ['users', 'credit_ledger', 'interviews', 'payments']) {
      const result = await anonClient().from(table).select('*');
      expect(result.data ?? []).toEqual([]);
      if (result.error) expect(result).toMatchObject({ status: 401, error: { code: '42501' } });
    }
  });

  it('everyone reads the active plans', async () => {
    const { data } = await anonClient().from('plans').select('id').order('sort_order');
    expect((data ?? []).map((p) => p.id)).toEqual(expect.arrayContaining(['pack_5', 'pack_10']));
  });
});

describe('credits cannot be written from outside', () => {
  it('PATCH users.credits is refused (42501) for the owner; name may change', async () => {
    const patch = await alice.client.from('users').update({ credits: 1000 }).eq('id', alice.user.id);
    expect(patch.status).toBe(403);
    expect(patch.error?.code).toBe('42501');
    const rename = await alice.client.from('users').update({ name: 'Alice A.' }).eq('id', alice.user.id).select('name');
    expect(rename.data).toEqual([{ name: 'Alice A.' }]);
    expect(await balanceOf(alice.user.id)).toBe(5);
  });

  it('user B cannot rename user A', async () => {
    const { data } = await bob.client.from('users').update({ name: 'pwned' }).eq('id', alice.user.id).select();
    expect(data ?? []).toEqual([]);
    const { rows } = await db().query('select name from public.users where id = $1', [alice.user.id]);
    expect(rows[0].name).not.toBe('pwned');
  });

  it('POST and upsert on users, credit_ledger and payments are refused', async () => {
    const attempts = [
      alice.client.from('users').insert({ id: alice.user.id, email: 'x@example.test', credits: 999 }),
      alice.client.from('users').upsert({ id: alice.user.id, email: alice.email, credits: 999 }, { onConflict: 'id' }),
      alice.client.from('credit_ledger').insert({ user_id: alice.user.id, delta: 999, balance_after: 999, kind: 'grant' }),
      alice.client.from('payments').insert({ user_id: alice.user.id, plan_id: 'pack_10', provider: 'local', provider_session_id: 'fake', credits: 10, amount_cents: 900, currency: 'usd', status: 'paid' }),
      anonClient().from('users').update({ credits: 999 }).eq('id', alice.user.id),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result.error, JSON.stringify(result)).not.toBeNull();
      expect([401, 403]).toContain(result.status);
      expect(result.error?.code).toBe('42501');
    }
    expect(await balanceOf(alice.user.id)).toBe(5);
  });

  it('the ledger is append-only from the API: no update, no delete', async () => {
    const update = await alice.client.from('credit_ledger').update({ delta: 100 }).eq('user_id', alice.user.id);
    const remove = await alice.client.from('credit_ledger').delete().eq('user_id', alice.user.id);
    for (const result of [update, remove]) {
      expect(result.error?.code).toBe('42501');
    }
    const { rows } = await db().query<{ n: number }>('select count(*)::int as n from public.credit_ledger where user_id = $1', [alice.user.id]);
    expect(rows[0].n).toBe(2);
  });

  it('interviews are written only through the functions; deletes and direct status changes are refused', async () => {
    const update = await alice.client.from('interviews').update({ status: 'cancelled' }).eq('id', aliceInterview);
    expect(update.error?.code).toBe('42501');
    const remove = await bob.client.from('interviews').delete().eq('id', aliceInterview);
    expect(remove.error?.code).toBe('42501');
    const { rows } = await db().query('select status from public.interviews where id = $1', [aliceInterview]);
    expect(rows[0].status).toBe('scheduled');
  });

  it('the service key is the only way to grant, and a forged service token is rejected', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ role: 'service_role', exp: 4102444800 })).toString('base64url');
    const response = await fetch(`${API_URL}/rest/v1/rpc/add_credits`, {
      method: 'POST',
      headers: { apikey: stackEnv().ANON_KEY, Authorization: `Bearer ${header}.${payload}.`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user_id: alice.user.id, amount: 50 }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('PGRST301');
    expect(await balanceOf(alice.user.id)).toBe(5);
  });
});

// Who reads what through the API (schema public, the one PostgREST exposes): the column naming a
// row's owner, or 'catalogue' for rows everyone reads while active. pgTAP's rls_matrix.test.sql
// holds the same matrix for the database roles (with realtime.messages, read per Realtime topic).
const MATRIX: Record<string, string> = {
  users: 'id',
  credit_ledger: 'user_id',
  credit_lots: 'user_id',
  credit_lot_entries: 'user_id',
  interviews: 'user_id',
  payments: 'user_id',
  subscriptions: 'user_id',
  plans: 'catalogue',
  // Read by membership: team_rest_rls.test.ts reads them (and every team wallet row) as owner, admin,
  // member, removed member, outsider and anon.
  teams: 'team',
  team_members: 'team',
  team_invitations: 'team',
};
const OWNED = Object.entries(MATRIX).filter(([, owner]) => owner !== 'catalogue' && owner !== 'team');

describe('the RLS matrix: every readable table as anon, owner, another user and service_role', () => {
  let carol: SignedUpUser;
  let dave: SignedUpUser;
  /** Rows of each owned table per owner, counted by the database owner (no RLS). */
  const rowsOf = new Map<string, { carol: number; dave: number }>();

  beforeAll(async () => {
    [carol, dave] = await Promise.all([signUpUser('rls-carol'), signUpUser('rls-dave')]);
    const service = serviceClient();
    for (const [name, who] of [['carol', carol], ['dave', dave]] as const) {
      // A row in every owned table: credits (ledger, lot, lot entry), a paid checkout (payment,
      // purchase lot), a subscription checkout and an interview (its hold).
      await grantCredits(who.user.id, 3);
      const session = `cs_local_rls_matrix_${name}_${Date.now()}`;
      for (const [fn, args] of [
        ['record_checkout', { user_id: who.user.id, plan_id: 'pack_5', provider: 'local', provider_session_id: session }],
        ['complete_checkout', { event_id: `evt_${session}`, provider_session_id: session, amount_total: 500, currency: 'usd' }],
      ] as const) {
        const { error } = await service.rpc(fn, args);
        if (error) throw new Error(`${fn}: ${error.message}`);
      }
      // A subscription checkout (its row, status incomplete).
      const subscribed = await service.rpc('record_subscription_checkout', {
        user_id: who.user.id, team_id: null, plan_id: 'sub_starter_monthly', provider: 'local', session_id: `${session}_sub` });
      if (subscribed.error) throw new Error(`record_subscription_checkout: ${subscribed.error.message}`);
      const created = await who.client.rpc('create_interview', { job_position: `Matrix ${name}`, duration_minutes: 30 });
      if (created.error) throw new Error(created.error.message);
    }
    for (const [table, owner] of OWNED) {
      const { rows } = await db().query<{ carol: number; dave: number }>(
        `select count(*) filter (where ${owner} = $1)::int as carol, count(*) filter (where ${owner} = $2)::int as dave from public.${table}`,
        [carol.user.id, dave.user.id]);
      rowsOf.set(table, rows[0]);
    }
  });

  it('every table and view anon or a recruiter can read through the API has an entry in the matrix', async () => {
    const { rows } = await db().query<{ name: string }>(`
      select c.relname as name from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'p', 'f') and not c.relispartition
         and (pg_catalog.has_any_column_privilege('anon', c.oid, 'select')
              or pg_catalog.has_any_column_privilege('authenticated', c.oid, 'select'))`);
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(MATRIX).sort());
    // The set-up gives both recruiters rows in every owned table, so the reads below mean something.
    for (const [table] of OWNED) expect(rowsOf.get(table), table).toEqual({ carol: expect.any(Number), dave: expect.any(Number) });
    for (const [table] of OWNED) expect(Math.min(rowsOf.get(table)!.carol, rowsOf.get(table)!.dave), table).toBeGreaterThan(0);
  });

  it.each(OWNED)('anon reads no %s row (no rows, or 401 42501)', async (table) => {
    const result = await anonClient().from(table).select('*');
    expect(result.data ?? []).toEqual([]);
    if (result.error) expect(result).toMatchObject({ status: 401, error: { code: '42501' } });
  });

  it.each(OWNED)('the owner reads all of her own %s rows and nobody else\'s', async (table, owner) => {
    const { data, error } = await carol.client.from(table).select(owner);
    expect(error).toBeNull();
    const owners = (data ?? []).map((row) => (row as unknown as Record<string, string>)[owner]);
    expect(owners.filter((id) => id !== carol.user.id)).toEqual([]);
    expect(owners.length).toBe(rowsOf.get(table)!.carol);
  });

  it.each(OWNED)('another user reads none of her %s rows', async (table, owner) => {
    const { data, error } = await dave.client.from(table).select(owner).eq(owner, carol.user.id);
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it.each(OWNED)('the service role reads every owner\'s %s rows', async (table, owner) => {
    const service = serviceClient();
    for (const [who, id] of [['carol', carol.user.id], ['dave', dave.user.id]] as const) {
      const { data, error } = await service.from(table).select(owner).eq(owner, id);
      expect(error).toBeNull();
      expect((data ?? []).length).toBe(rowsOf.get(table)![who]);
    }
  });

  it('plans: anon and recruiters read the active ones, the service role all', async () => {
    const { rows } = await db().query<{ active: number; every: number }>(
      'select count(*) filter (where active)::int as active, count(*)::int as every from public.plans');
    for (const client of [anonClient(), carol.client]) {
      const { data } = await client.from('plans').select('id');
      expect((data ?? []).length).toBe(rows[0].active);
    }
    const { data } = await serviceClient().from('plans').select('id');
    expect((data ?? []).length).toBe(rows[0].every);
  });
});
