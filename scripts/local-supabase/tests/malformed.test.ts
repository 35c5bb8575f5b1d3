// Malformed and hostile requests get clear 4xx errors with stable codes and change nothing:
// bad JSON, unknown functions and columns, oversized bodies, bad filters, and expired, forged,
// `alg: none` or garbage JWTs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { API_URL, balanceOf, closeDb, grantCredits, signUpUser, stackEnv, type SignedUpUser } from '../../../test-support/stack.ts';

let user: SignedUpUser;

beforeAll(async () => {
  user = await signUpUser('malformed');
  await grantCredits(user.user.id, 3);
});

afterAll(closeDb);

function call(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const headers: Record<string, string> = { apikey: stackEnv().ANON_KEY, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) };
  const token = init.token === undefined ? user.session.access_token : init.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  return fetch(`${API_URL}${path}`, { ...init, headers });
}

async function expectError(response: Response, status: number, code: string): Promise<void> {
  const body = (await response.json()) as { code: unknown };
  expect({ status: response.status, code: body.code }).toEqual({ status, code });
}

const secret = (): Uint8Array => new TextEncoder().encode(stackEnv().JWT_SECRET);

describe('bodies', () => {
  it('bad JSON is 400 PGRST102 on REST and 400 bad_json on auth', async () => {
    await expectError(await call('/rest/v1/rpc/deduct_credits', { method: 'POST', body: '{"amount": 1' }), 400, 'PGRST102');
    await expectError(await call('/rest/v1/users?id=eq.x', { method: 'PATCH', body: 'name=bob' }), 400, 'PGRST102');
    await expectError(await call('/auth/v1/signup', { method: 'POST', body: '{oops', headers: { 'X-Supabase-Api-Version': '2024-01-01' } }), 400, 'bad_json');
    expect(await balanceOf(user.user.id)).toBe(3);
  });

  it('bodies over 1 MB are refused with 413 before they reach the database', async () => {
    const huge = JSON.stringify({ amount: 1, reason: 'x'.repeat(1_100_000) });
    const rest = await call('/rest/v1/rpc/deduct_credits', { method: 'POST', body: huge });
    expect(rest.status).toBe(413);
    const auth = await call('/auth/v1/signup', { method: 'POST', body: huge });
    expect(auth.status).toBe(413);
    expect(await balanceOf(user.user.id)).toBe(3);
  });

  it('NUL characters in auth input are 400 validation_failed (or invalid credentials), never 500', async () => {
    const v = { 'X-Supabase-Api-Version': '2024-01-01' };
    const nulEmail = JSON.stringify({ email: 'a\u0000b@example.test', password: 'pw-12345678' });
    await expectError(await call('/auth/v1/signup', { method: 'POST', body: nulEmail, headers: v, token: null }), 400, 'validation_failed');
    await expectError(await call('/auth/v1/resend', { method: 'POST', body: JSON.stringify({ type: 'signup', email: 'a\u0000b@example.test' }), headers: v, token: null }), 400, 'validation_failed');
    await expectError(await call('/auth/v1/token?grant_type=password', { method: 'POST', body: nulEmail, headers: v, token: null }), 400, 'invalid_credentials');
    const nulMetadata = JSON.stringify({ email: `nul-${Date.now()}@example.test`, password: 'pw-12345678', data: { name: 'a\u0000b' } });
    await expectError(await call('/auth/v1/signup', { method: 'POST', body: nulMetadata, headers: v, token: null }), 400, 'validation_failed');
  });

  it('a wrongly typed argument is a Postgres input error (22P02, 400)', async () => {
    await expectError(await call('/rest/v1/rpc/deduct_credits', { method: 'POST', body: '{"amount": {"nested": true}}' }), 400, '22P02');
  });
});

describe('names', () => {
  it('unknown function: 404 PGRST202; unknown table: 404 PGRST205', async () => {
    await expectError(await call('/rest/v1/rpc/drop_everything', { method: 'POST', body: '{}' }), 404, 'PGRST202');
    await expectError(await call('/rest/v1/no_such_table'), 404, 'PGRST205');
  });

  it('unknown columns: 400 (42703 in select/filter/order, PGRST204 in a body)', async () => {
    await expectError(await call('/rest/v1/users?select=password'), 400, '42703');
    await expectError(await call('/rest/v1/users?nope=eq.1'), 400, '42703');
    await expectError(await call('/rest/v1/users?order=nope.desc'), 400, '42703');
    await expectError(await call(`/rest/v1/users?id=eq.${user.user.id}`, { method: 'PATCH', body: '{"is_admin": true}' }), 400, 'PGRST204');
  });

  it('bad filter syntax and bad limits: 400 PGRST100', async () => {
    await expectError(await call('/rest/v1/users?credits=between.1.5'), 400, 'PGRST100');
    await expectError(await call('/rest/v1/users?credits=eq'), 400, 'PGRST100');
    await expectError(await call('/rest/v1/users?limit=ten'), 400, 'PGRST100');
    await expectError(await call('/rest/v1/users?id=in.notalist'), 400, 'PGRST100');
  });

  it('bad values for typed columns: 400 22P02', async () => {
    await expectError(await call('/rest/v1/users?id=eq.not-a-uuid'), 400, '22P02');
  });

  it('unknown routes are 404; CORS preflight is answered everywhere', async () => {
    expect((await call('/nothing/here')).status).toBe(404);
    const preflight = await fetch(`${API_URL}/rest/v1/rpc/deduct_credits`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, apikey, content-type, x-client-info' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/x-client-info/);
  });
});

describe('tokens', () => {
  it('an expired JWT is 401 PGRST303 and changes nothing', async () => {
    const expired = await new SignJWT({ sub: user.user.id, role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' }).setIssuedAt(1_000_000).setExpirationTime(1_000_060).sign(secret());
    const response = await call('/rest/v1/rpc/deduct_credits', { method: 'POST', body: '{"amount":1}', token: expired });
    expect(response.headers.get('www-authenticate')).toMatch(/invalid_token/);
    await expectError(response, 401, 'PGRST303');
    expect(await balanceOf(user.user.id)).toBe(3);
  });

  it('forged, alg:none and garbage tokens are 401 PGRST301', async () => {
    const forged = await new SignJWT({ sub: user.user.id, role: 'service_role' })
      .setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('a-different-secret-of-enough-length'));
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ role: 'service_role', sub: user.user.id })).toString('base64url')}.`;
    for (const token of [forged, none, 'garbage']) {
      await expectError(await call('/rest/v1/rpc/deduct_credits', { method: 'POST', body: '{"amount":1}', token }), 401, 'PGRST301');
    }
    expect(await balanceOf(user.user.id)).toBe(3);
  });

  it('a token not valid yet (nbf in the future) is 401 PGRST301, not "JWT expired"', async () => {
    const early = await new SignJWT({ sub: user.user.id, role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' }).setNotBefore('1h').setExpirationTime('2h').sign(secret());
    await expectError(await call('/rest/v1/rpc/deduct_credits', { method: 'POST', body: '{"amount":1}', token: early }), 401, 'PGRST301');
    expect(await balanceOf(user.user.id)).toBe(3);
  });

  it("a user's access token is not an API key: 401 PGRST301, even when it is also the bearer", async () => {
    const userToken = user.session.access_token;
    const response = await fetch(`${API_URL}/rest/v1/rpc/deduct_credits`, {
      method: 'POST', headers: { apikey: userToken, Authorization: `Bearer ${userToken}`, 'Content-Type': 'application/json' }, body: '{"amount":1}',
    });
    await expectError(response, 401, 'PGRST301');
    const broadcast = await fetch(`${API_URL}/realtime/v1/api/broadcast`, {
      method: 'POST', headers: { apikey: userToken, 'Content-Type': 'application/json' }, body: '{"messages":[]}',
    });
    expect(broadcast.status).toBe(401);
    expect(await balanceOf(user.user.id)).toBe(3);
    // The same token as the bearer, with the anon key as the API key, goes through.
    const own = await call(`/rest/v1/users?select=credits&id=eq.${user.user.id}`);
    expect(await own.json()).toEqual([{ credits: 3 }]);
  });

  it("new-style keys: the checkout's publishable key means anon (also as the bearer); unknown sb_ keys are refused", async () => {
    const publishable = stackEnv().PUBLISHABLE_KEY;
    const asAnon = await fetch(`${API_URL}/rest/v1/plans?select=id&id=eq.pack_5`, { headers: { apikey: publishable, Authorization: `Bearer ${publishable}` } });
    expect(asAnon.status).toBe(200);
    expect(await asAnon.json()).toEqual([{ id: 'pack_5' }]);
    const grant = await fetch(`${API_URL}/rest/v1/rpc/add_credits`, {
      method: 'POST', headers: { apikey: publishable, 'Content-Type': 'application/json' }, body: JSON.stringify({ user_id: user.user.id, amount: 5 }),
    });
    await expectError(grant, 401, '42501');
    for (const guess of ['sb_secret_guessed', 'sb_publishable_local_test_key']) {
      const refused = await fetch(`${API_URL}/rest/v1/plans`, { headers: { apikey: guess } });
      expect(refused.status).toBe(401);
    }
    expect(await balanceOf(user.user.id)).toBe(3);
  });

  it('a request without an API key is refused by the gateway (401)', async () => {
    const response = await fetch(`${API_URL}/rest/v1/plans`);
    expect(response.status).toBe(401);
  });

  it('a JWT role that does not exist is 401 (22023 role does not exist), as in PostgREST', async () => {
    const token = await new SignJWT({ role: 'superhero' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secret());
    const response = await call('/rest/v1/plans', { token });
    expect(response.status).toBe(401);
  });
});
