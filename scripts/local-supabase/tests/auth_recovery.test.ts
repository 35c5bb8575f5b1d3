// Password recovery as GoTrue serves it to auth-js: resetPasswordForEmail mails a link to the
// local inbox (the same {} for unknown addresses, rate-limited per max_frequency); the link
// opens a session with type=recovery in the fragment; updateUser({password}) sets the new one,
// refusing a short or unchanged password with GoTrue's codes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthApiError } from '@supabase/supabase-js';
import { API_URL, anonClient, closeDb, db, freePort, signUpUser, stackEnv, TEST_DB_URL, uniqueEmail } from '../../../test-support/stack.ts';
import { latestMailLink } from '../../lib/confirm-signup.ts';
import { startApiServer, type ApiServer } from '../src/server.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const SITE_URL = 'http://127.0.0.1:5173';

afterAll(async () => {
  await closeDb();
});

async function mailsTo(email: string): Promise<{ subject: string; links: string[] }[]> {
  const response = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(email)}`);
  return ((await response.json()) as { messages: { subject: string; links: string[] }[] }).messages;
}

async function follow(link: string): Promise<{ status: number; location: URL; fragment: URLSearchParams }> {
  const response = await fetch(link, { redirect: 'manual' });
  const location = new URL(response.headers.get('location') ?? 'about:blank');
  return { status: response.status, location, fragment: new URLSearchParams(location.hash.slice(1)) };
}

function recoverRaw(body: unknown): Promise<Response> {
  return fetch(`${API_URL}/auth/v1/recover`, {
    method: 'POST',
    headers: { apikey: stackEnv().ANON_KEY, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
    body: JSON.stringify(body),
  });
}

describe('password recovery', () => {
  it('mails a link that signs in with type=recovery; the new password works and the old one does not', async () => {
    const { email, password } = await signUpUser('recover');
    const client = anonClient();
    const { data, error } = await client.auth.resetPasswordForEmail(email, { redirectTo: `${SITE_URL}/reset-password` });
    expect(error).toBeNull();
    expect(data).toEqual({});
    const [mail] = await mailsTo(email);
    expect(mail.subject).toBe('Reset Your Password');
    const link = await latestMailLink(API_URL, email);
    expect(link).toContain('type=recovery');

    const hop = await follow(link);
    expect(hop.status).toBe(303);
    expect(`${hop.location.origin}${hop.location.pathname}`).toBe(`${SITE_URL}/reset-password`);
    expect(hop.fragment.get('type')).toBe('recovery');
    const session = await client.auth.setSession({ access_token: hop.fragment.get('access_token')!, refresh_token: hop.fragment.get('refresh_token')! });
    expect(session.error).toBeNull();

    const same = await client.auth.updateUser({ password });
    expect(same.error).toBeInstanceOf(AuthApiError);
    expect(same.error).toMatchObject({ status: 422, code: 'same_password', message: 'New password should be different from the old password.' });
    const short = await client.auth.updateUser({ password: 'short' });
    expect(short.error).toMatchObject({ status: 422, code: 'weak_password' });

    const updated = await client.auth.updateUser({ password: 'a-brand-new-password' });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.email).toBe(email);
    expect((await anonClient().auth.signInWithPassword({ email, password })).error).toMatchObject({ code: 'invalid_credentials' });
    expect((await anonClient().auth.signInWithPassword({ email, password: 'a-brand-new-password' })).error).toBeNull();

    // The link works once.
    const again = await follow(link);
    expect(again.fragment.get('error_code')).toBe('otp_expired');
  });

  it('answers an unknown address exactly like a known one and mails nothing', async () => {
    const email = uniqueEmail('nobody');
    const response = await recoverRaw({ email });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(await mailsTo(email)).toEqual([]);
  });

  it('sends at most one mail per max_frequency: a second request at once is 429 over_email_send_rate_limit', async () => {
    const { email } = await signUpUser('recover-rate');
    expect((await recoverRaw({ email })).status).toBe(200);
    const second = await recoverRaw({ email });
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ code: 'over_email_send_rate_limit' });
    expect((await mailsTo(email)).filter((mail) => mail.subject === 'Reset Your Password')).toHaveLength(1);
  });

  it('refuses a missing or malformed address with 400 validation_failed', async () => {
    const missing = await recoverRaw({});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'validation_failed', message: 'Password recovery requires an email' });
    const malformed = await recoverRaw({ email: 'not-an-address' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('an expired recovery link redirects with otp_expired and opens no session', async () => {
    const { email } = await signUpUser('recover-expired');
    expect((await recoverRaw({ email })).status).toBe(200);
    const link = await latestMailLink(API_URL, email);
    await db().query(`update auth.users set recovery_sent_at = now() - interval '2 days' where email = $1`, [email]);
    const hop = await follow(link);
    expect(hop.fragment.get('error_code')).toBe('otp_expired');
    expect(hop.fragment.get('access_token')).toBeNull();
  });

  it('a new password ends every other session and voids a recovery link still in the mail (as GoTrue)', async () => {
    const { email, password, session: first } = await signUpUser('recover-sessions');
    const second = anonClient();
    expect((await second.auth.signInWithPassword({ email, password })).error).toBeNull();
    expect((await recoverRaw({ email })).status).toBe(200);
    const pendingLink = await latestMailLink(API_URL, email);
    expect((await second.auth.updateUser({ password: 'changed-by-the-owner' })).error).toBeNull();
    // The other session (say, whoever knew the old password) can no longer refresh.
    const refreshed = await anonClient().auth.refreshSession({ refresh_token: first.refresh_token });
    expect(refreshed.error).not.toBeNull();
    // The session that changed the password stays signed in.
    expect((await second.auth.refreshSession()).error).toBeNull();
    // And the link mailed before the change opens nothing.
    const hop = await follow(pendingLink);
    expect(hop.fragment.get('error_code')).toBe('otp_expired');
    expect(hop.fragment.get('access_token')).toBeNull();
  });
});

describe('guessing link tokens', () => {
  let limited: ApiServer;
  beforeAll(async () => {
    limited = await startApiServer({
      port: await freePort(), dbUrl: TEST_DB_URL, env: stackEnv(), configToml: path.join(HERE, '../fixtures/verify-limit.toml'),
    });
  });
  afterAll(async () => { await limited?.close(); });

  it('is stopped after token_verifications failed checks per IP: 429 over_request_rate_limit, even for the right token', async () => {
    const { email } = await signUpUser('recover-guess');
    const recover = await fetch(`${limited.url}/auth/v1/recover`, {
      method: 'POST', headers: { apikey: stackEnv().ANON_KEY, 'Content-Type': 'application/json' }, body: JSON.stringify({ email }),
    });
    expect(recover.status).toBe(200);
    const link = new URL(await latestMailLink(limited.url, email));
    for (let guess = 0; guess < 3; guess += 1) {
      const wrong = new URL(link);
      wrong.searchParams.set('token', `${guess}`.padStart(56, '0'));
      const hop = await follow(wrong.href);
      expect(hop.fragment.get('error_code')).toBe('otp_expired');
    }
    const blocked = await fetch(link.href, { redirect: 'manual' });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error_code: 'over_request_rate_limit' }); // a link carries no API version: GoTrue's legacy shape
  });
});
