// GoTrue behaviour of the local API through the real auth-js: sign-up (confirmed through the
// mailed link; the confirmation flow itself is in auth_confirmation.test.ts), password sign-in,
// refresh-token rotation and reuse detection, user, logout scopes, and GoTrue's error shapes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, SignJWT } from 'jose';
import { AuthWeakPasswordError } from '@supabase/supabase-js';
import { API_URL, anonClient, closeDb, db, freePort, signUpUser, stackEnv, TEST_DB_URL, uniqueEmail } from '../../../test-support/stack.ts';
import { startApiServer, type ApiServer } from '../src/server.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NO_REUSE_PORT = await freePort();
let noReuseServer: ApiServer;

beforeAll(async () => {
  // Same database, but refresh_token_reuse_interval = 0, so any reuse counts as theft.
  noReuseServer = await startApiServer({
    port: NO_REUSE_PORT, dbUrl: TEST_DB_URL, env: stackEnv(), configToml: path.join(HERE, '../fixtures/config.toml'),
  });
});

afterAll(async () => {
  await noReuseServer?.close();
  await closeDb();
});

function authFetch(pathAndQuery: string, init: RequestInit = {}, base = API_URL): Promise<Response> {
  return fetch(`${base}/auth/v1${pathAndQuery}`, {
    ...init,
    headers: { apikey: stackEnv().ANON_KEY, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
  });
}

async function userError(accessToken: string): Promise<{ status: number; code: string }> {
  const response = await authFetch('/user', { headers: { Authorization: `Bearer ${accessToken}`, 'X-Supabase-Api-Version': '2024-01-01' } });
  return { status: response.status, code: ((await response.json()) as { code: string }).code };
}

async function refresh(refreshToken: string, base = API_URL): Promise<Response> {
  return authFetch('/token?grant_type=refresh_token', { method: 'POST', body: JSON.stringify({ refresh_token: refreshToken }), headers: { 'X-Supabase-Api-Version': '2024-01-01' } }, base);
}

describe('sign-up', () => {
  it('the confirmed sign-up holds a GoTrue session whose JWT carries GoTrue claims, and creates public.users', async () => {
    const { session, user, email } = await signUpUser('signup');
    expect(session).toMatchObject({ token_type: 'bearer' });
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(session.refresh_token).toMatch(/^[A-Za-z0-9]{12,}$/);
    expect(user).toMatchObject({ email, aud: 'authenticated', role: 'authenticated', app_metadata: { provider: 'email', providers: ['email'] } });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(user.identities?.[0]).toMatchObject({ provider: 'email', user_id: user.id });
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      aud: 'authenticated', sub: user.id, email, phone: '', role: 'authenticated', aal: 'aal1',
      iss: `${API_URL}/auth/v1`, is_anonymous: false, app_metadata: { provider: 'email' },
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(typeof claims.session_id).toBe('string');
    expect((claims.amr as { method: string }[])[0].method).toBe('password');
    const { rows } = await db().query('select email, credits from public.users where id = $1', [user.id]);
    expect(rows).toEqual([{ email, credits: 0 }]);
  });

  it('refuses weak passwords (422 weak_password) and bad emails (400 validation_failed), creating nothing', async () => {
    const email = uniqueEmail('weak');
    const weak = await anonClient().auth.signUp({ email, password: 'short' });
    expect(weak.error).toBeInstanceOf(AuthWeakPasswordError);
    expect(weak.error).toMatchObject({ status: 422, code: 'weak_password' });
    const bad = await anonClient().auth.signUp({ email: 'not-an-email', password: 'long-enough-password' });
    expect(bad.error).toMatchObject({ status: 400, code: 'validation_failed' });
    const { rows } = await db().query('select 1 from auth.users where email = $1', [email]);
    expect(rows).toEqual([]);
  });

  it('refuses passwords over 72 bytes (bcrypt would truncate them): 400 validation_failed, creating nothing', async () => {
    const email = uniqueEmail('long');
    // 37 two-byte characters: 74 bytes, though only 37 characters.
    const { data, error } = await anonClient().auth.signUp({ email, password: 'é'.repeat(37) });
    expect(data.session).toBeNull();
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Password cannot be longer than 72 characters' });
    const { rows } = await db().query('select 1 from auth.users where email = $1', [email]);
    expect(rows).toEqual([]);
    expect((await anonClient().auth.signUp({ email, password: 'a'.repeat(72) })).error).toBeNull();
  });
});

describe('sign-in', () => {
  it('signs in with the password (bcrypt), including the seed user hashed by pgcrypto', async () => {
    const { email, password, user } = await signUpUser('signin');
    const { data, error } = await anonClient().auth.signInWithPassword({ email, password });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(user.id);
    expect(data.session?.refresh_token).toBeTruthy();
    const demo = await anonClient().auth.signInWithPassword({ email: 'demo@recruiter.test', password: 'demo-password-123' });
    expect(demo.error).toBeNull();
    expect(demo.data.user?.email).toBe('demo@recruiter.test');
  });

  it('a wrong password or unknown email gives 400 invalid_credentials "Invalid login credentials"', async () => {
    const { email } = await signUpUser('wrongpw');
    for (const attempt of [{ email, password: 'wrong-password' }, { email: uniqueEmail('nobody'), password: 'whatever-it-is' }]) {
      const { data, error } = await anonClient().auth.signInWithPassword(attempt);
      expect(data.session).toBeNull();
      expect(error).toMatchObject({ status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' });
    }
  });

  it('a password that only shares its first 72 bytes with the real one does not sign in', async () => {
    const email = uniqueEmail('prefix');
    const password = 'p'.repeat(72);
    expect((await anonClient().auth.signUp({ email, password })).error).toBeNull();
    const { data, error } = await anonClient().auth.signInWithPassword({ email, password: `${password}-and-more` });
    expect(data.session).toBeNull();
    expect(error).toMatchObject({ status: 400, code: 'invalid_credentials' });
  });

  it('an unknown email costs a bcrypt compare too, so timing does not tell who has an account', async () => {
    const { email } = await signUpUser('timing');
    const median = async (attempt: { email: string; password: string }): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        await authFetch('/token?grant_type=password', { method: 'POST', body: JSON.stringify(attempt) });
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2];
    };
    const known = await median({ email, password: 'wrong-password' });
    const unknown = await median({ email: uniqueEmail('ghost'), password: 'wrong-password' });
    // A bcrypt compare at cost 10 takes tens of ms; skipping it for unknown emails would halve the time.
    expect(unknown).toBeGreaterThan(known * 0.6);
  });

  it('speaks both GoTrue error formats: versioned ({code, message}) and legacy ({code: status, error_code, msg})', async () => {
    const body = JSON.stringify({ email: uniqueEmail('fmt'), password: 'nope-nope-nope' });
    const versioned = await authFetch('/token?grant_type=password', { method: 'POST', body, headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
    expect(versioned.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(await versioned.json()).toMatchObject({ code: 'invalid_credentials', message: 'Invalid login credentials' });
    const legacy = await authFetch('/token?grant_type=password', { method: 'POST', body });
    expect(await legacy.json()).toMatchObject({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
  });
});

describe('user', () => {
  it('returns the user for a valid token, 403 bad_jwt for forged or expired ones, 401 without one', async () => {
    const { client, user, session } = await signUpUser('getuser');
    expect((await client.auth.getUser(session.access_token)).data.user?.id).toBe(user.id);
    const forged = await new SignJWT({ sub: user.id, role: 'authenticated', aud: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('not-the-secret-not-the-secret-!!'));
    expect((await anonClient().auth.getUser(forged)).error).toMatchObject({ status: 403, code: 'bad_jwt' });
    const expired = await new SignJWT({ sub: user.id, role: 'authenticated', aud: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' }).setIssuedAt(1_000_000).setExpirationTime(1_000_100).sign(new TextEncoder().encode(stackEnv().JWT_SECRET));
    expect((await anonClient().auth.getUser(expired)).error).toMatchObject({ status: 403, code: 'bad_jwt' });
    const none = await authFetch('/user', { headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'no_authorization' });
  });

  it('updates user_metadata and the password', async () => {
    const { client, email } = await signUpUser('update');
    const { data, error } = await client.auth.updateUser({ data: { name: 'Ada' }, password: 'a-new-password-1' });
    expect(error).toBeNull();
    expect(data.user?.user_metadata).toMatchObject({ name: 'Ada' });
    expect((await anonClient().auth.signInWithPassword({ email, password: 'a-new-password-1' })).error).toBeNull();
  });
});

describe('refresh tokens', () => {
  it('rotate: a refresh gives a new access token and a new refresh token', async () => {
    const { client, session } = await signUpUser('rotate');
    const { data, error } = await client.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
    expect(data.session?.refresh_token).not.toBe(session.refresh_token);
    expect(decodeJwt(data.session!.access_token).session_id).toBe(decodeJwt(session.access_token).session_id);
    // Within the reuse interval (10 s in supabase/config.toml) a concurrent tab gets the current token.
    const again = await refresh(session.refresh_token);
    expect(again.status).toBe(200);
    expect((await again.json()).refresh_token).toBe(data.session?.refresh_token);
  });

  it('reuse of a revoked token outside the interval revokes the session (refresh_token_already_used)', async () => {
    const { session } = await signUpUser('reuse', noReuseServer.url);
    const first = await refresh(session.refresh_token, noReuseServer.url);
    const rotated = (await first.json()).refresh_token as string;
    const reuse = await refresh(session.refresh_token, noReuseServer.url);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' });
    const afterTheft = await refresh(rotated, noReuseServer.url);
    expect(afterTheft.status).toBe(400);
    expect(await afterTheft.json()).toMatchObject({ code: 'refresh_token_not_found' });
  });

  it('a banned user can neither sign in nor refresh (400 user_banned)', async () => {
    const { user, email, password, session } = await signUpUser('banned');
    await db().query(`update auth.users set banned_until = now() + interval '1 day' where id = $1`, [user.id]);
    const refreshed = await refresh(session.refresh_token);
    expect(refreshed.status).toBe(400);
    expect(await refreshed.json()).toMatchObject({ code: 'user_banned' });
    expect((await anonClient().auth.signInWithPassword({ email, password })).error).toMatchObject({ status: 400, code: 'user_banned' });
    // The ban lifted, the same refresh token works again: the refusal changed nothing.
    await db().query('update auth.users set banned_until = null where id = $1', [user.id]);
    expect((await refresh(session.refresh_token)).status).toBe(200);
  });

  it('unknown or missing tokens give GoTrue errors', async () => {
    const unknown = await refresh('definitelyNotAToken');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'refresh_token_not_found' });
    const missing = await authFetch('/token?grant_type=refresh_token', { method: 'POST', body: '{}' });
    expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: 'refresh_token required' });
  });
});

describe('logout', () => {
  it('global: every session of the user ends, refresh tokens stop working, old access tokens are refused by /user', async () => {
    const { client, email, password, session } = await signUpUser('logout');
    const other = await anonClient().auth.signInWithPassword({ email, password });
    expect((await client.auth.signOut({ scope: 'global' })).error).toBeNull();
    expect((await refresh(session.refresh_token)).status).toBe(400);
    expect((await refresh(other.data.session!.refresh_token)).status).toBe(400);
    expect(await userError(session.access_token)).toEqual({ status: 403, code: 'session_not_found' });
    // auth-js turns session_not_found into AuthSessionMissingError and drops its local session.
    expect((await anonClient().auth.getUser(session.access_token)).error?.name).toBe('AuthSessionMissingError');
  });

  it('local ends only this session; others ends all but this one', async () => {
    const { email, password, session } = await signUpUser('scopes');
    const second = (await anonClient().auth.signInWithPassword({ email, password })).data.session!;
    const third = (await anonClient().auth.signInWithPassword({ email, password })).data.session!;
    const others = await authFetch('/logout?scope=others', { method: 'POST', headers: { Authorization: `Bearer ${third.access_token}` } });
    expect(others.status).toBe(204);
    expect((await refresh(session.refresh_token)).status).toBe(400);
    expect((await refresh(second.refresh_token)).status).toBe(400);
    expect((await refresh(third.refresh_token)).status).toBe(200);
    const local = await authFetch('/logout?scope=local', { method: 'POST', headers: { Authorization: `Bearer ${third.access_token}` } });
    expect(local.status).toBe(204);
    expect(await userError(third.access_token)).toEqual({ status: 403, code: 'session_not_found' });
  });
});

describe('gateway and metadata endpoints', () => {
  it('serves settings and health; requires an API key like the Supabase gateway', async () => {
    const settings = await authFetch('/settings');
    // config.toml has [auth.email] enable_confirmations = true, so GoTrue does not autoconfirm.
    expect(await settings.json()).toMatchObject({ external: { email: true }, disable_signup: false, mailer_autoconfirm: false });
    expect((await fetch(`${API_URL}/auth/v1/health`)).status).toBe(200);
    const noKey = await fetch(`${API_URL}/auth/v1/settings`);
    expect(noKey.status).toBe(401);
  });

  it("refuses a user's access token as the API key: only the anon and service_role keys are API keys", async () => {
    const { session } = await signUpUser('apikey');
    const response = await fetch(`${API_URL}/auth/v1/settings`, { headers: { apikey: session.access_token } });
    expect(response.status).toBe(401);
    expect((await authFetch('/settings', { headers: { apikey: stackEnv().SERVICE_ROLE_KEY } })).status).toBe(200);
  });
});
