// Row-level security through the API on the application's tables: user B never reads user A's
// rows, and neither anon nor a signed-in user can change `credits` or grant credits by any
// route (rpc, PATCH, POST insert, upsert, DELETE).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, balanceOf, closeDb, db, grantCredits, signUpUser, stackEnv, API_URL, type SignedUpUser } from '../../../test-support/stack.ts';

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
