// E-mail confirmation as hosted projects run it ([auth.email] enable_confirmations = true in
// supabase/config.toml): sign-up gives no session and mails a link to the local inbox; the link
// confirms once and redirects with the session in the URL fragment; every failure is GoTrue's.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthWeakPasswordError } from '@supabase/supabase-js';
import { API_URL, anonClient, closeDb, db, freePort, stackEnv, TEST_DB_URL, uniqueEmail } from '../../../test-support/stack.ts';
import { latestMailLink } from '../../lib/confirm-signup.ts';
import { startApiServer, type ApiServer } from '../src/server.ts';
import { SITE_URL_OVERRIDE } from '../../lib/config.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// config.toml's site_url, or the moved SPA's URL when this stack runs with STACK_WEB_PORT.
const SITE_URL = SITE_URL_OVERRIDE ?? 'http://127.0.0.1:5173';
const PASSWORD = 'long-enough-password';
let autoconfirm: ApiServer;

beforeAll(async () => {
  autoconfirm = await startApiServer({
    port: await freePort(), dbUrl: TEST_DB_URL, env: stackEnv(), configToml: path.join(HERE, '../fixtures/autoconfirm.toml'),
  });
});

afterAll(async () => {
  await autoconfirm?.close();
  await closeDb();
});

function authFetch(pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${API_URL}/auth/v1${pathAndQuery}`, {
    ...init,
    headers: { apikey: stackEnv().ANON_KEY, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
  });
}

async function mailsTo(email: string): Promise<{ subject: string; links: string[] }[]> {
  const response = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(email)}`);
  return ((await response.json()) as { messages: { subject: string; links: string[] }[] }).messages;
}

/** Follows a link the way a browser's first hop does: the 303 and where it points. */
async function follow(link: string): Promise<{ status: number; location: URL; fragment: URLSearchParams }> {
  const response = await fetch(link, { redirect: 'manual' });
  const location = new URL(response.headers.get('location') ?? 'about:blank');
  return { status: response.status, location, fragment: new URLSearchParams(location.hash.slice(1)) };
}

/** Lets the next e-mail to this address go out at once (max_frequency is 1 s). */
async function pastRateLimit(email: string): Promise<void> {
  await db().query(`update auth.users set confirmation_sent_at = now() - interval '2 seconds' where email = $1`, [email]);
}

describe('sign-up with confirmations on', () => {
  it('returns the user without a session and mails a link; signing in before confirming is 400 email_not_confirmed', async () => {
    const email = uniqueEmail('confirm');
    const response = await authFetch('/signup', { method: 'POST', body: JSON.stringify({ email, password: PASSWORD }) });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ email, aud: 'authenticated', role: 'authenticated', identities: [{ provider: 'email' }] });
    expect(body.access_token).toBeUndefined();
    expect(body.email_confirmed_at).toBeUndefined();
    expect(Date.parse(body.confirmation_sent_at)).toBeGreaterThan(Date.now() - 60_000);

    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Confirm Your Signup');
    expect(mails[0].links[0]).toMatch(new RegExp(`^${API_URL}/auth/v1/verify\\?token=[0-9a-f]{56}&type=signup&redirect_to=`));

    const { data, error } = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
    expect(data.session).toBeNull();
    expect(error).toMatchObject({ status: 400, code: 'email_not_confirmed', message: 'Email not confirmed' });
    const legacy = await authFetch('/token?grant_type=password', { method: 'POST', body: JSON.stringify({ email, password: PASSWORD }) });
    expect(await legacy.json()).toEqual({ code: 400, error_code: 'email_not_confirmed', msg: 'Email not confirmed' });
  });

  it('the link confirms once: 303 to site_url with the session in the fragment; used again it says otp_expired', async () => {
    const email = uniqueEmail('link');
    const client = anonClient();
    expect((await client.auth.signUp({ email, password: PASSWORD })).data.session).toBeNull();
    const link = await latestMailLink(API_URL, email);
    const first = await follow(link);
    expect(first.status).toBe(303);
    expect(`${first.location.origin}${first.location.pathname}`).toBe(`${SITE_URL}/`);
    expect([...first.fragment.keys()].sort()).toEqual(['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type', 'type']);
    expect(first.fragment.get('type')).toBe('signup');
    expect(first.fragment.get('token_type')).toBe('bearer');
    expect(first.fragment.get('expires_in')).toBe('3600');

    const { data, error } = await client.auth.setSession({ access_token: first.fragment.get('access_token')!, refresh_token: first.fragment.get('refresh_token')! });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.email_confirmed_at).toBeTruthy();
    // The password typed before the address was proven does not survive it (users migration,
    // "Confirmation"): the signed-in owner chooses one, and that one works.
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error).toMatchObject({ code: 'invalid_credentials' });
    expect((await client.auth.updateUser({ password: `${PASSWORD}-chosen` })).error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: `${PASSWORD}-chosen` })).error).toBeNull();

    const again = await follow(link);
    expect(again.status).toBe(303);
    expect(again.location.hash).toBe('#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired');
  });

  it('an expired link confirms nothing; resend mails a new one that works (at most one mail per max_frequency)', async () => {
    const email = uniqueEmail('expired');
    await anonClient().auth.signUp({ email, password: PASSWORD });
    const tooSoon = await anonClient().auth.resend({ type: 'signup', email });
    expect(tooSoon.error).toMatchObject({ status: 429, code: 'over_email_send_rate_limit' });

    const stale = await latestMailLink(API_URL, email);
    await db().query(`update auth.users set confirmation_sent_at = now() - interval '2 hours' where email = $1`, [email]);
    const expired = await follow(stale);
    expect(expired.fragment.get('error_code')).toBe('otp_expired');
    expect(expired.fragment.get('access_token')).toBeNull();
    const { rows } = await db().query('select email_confirmed_at from auth.users where email = $1', [email]);
    expect(rows).toEqual([{ email_confirmed_at: null }]);

    const resent = await anonClient().auth.resend({ type: 'signup', email });
    expect(resent.error).toBeNull();
    const fresh = await latestMailLink(API_URL, email);
    expect(fresh).not.toBe(stale);
    expect((await follow(fresh)).fragment.get('access_token')).toBeTruthy();
  });

  it('resend answers {} for unknown and confirmed addresses and mails nothing; bad requests are 400 validation_failed', async () => {
    const unknown = uniqueEmail('ghost');
    const answer = await authFetch('/resend', { method: 'POST', body: JSON.stringify({ type: 'signup', email: unknown }) });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({});
    expect(await mailsTo(unknown)).toEqual([]);
    const demo = await authFetch('/resend', { method: 'POST', body: JSON.stringify({ type: 'signup', email: 'demo@recruiter.test' }) });
    expect(await demo.json()).toEqual({});
    expect(await mailsTo('demo@recruiter.test')).toEqual([]);
    const noType = await authFetch('/resend', { method: 'POST', body: JSON.stringify({ email: unknown }) });
    expect(noType.status).toBe(400);
    expect(await noType.json()).toMatchObject({ error_code: 'validation_failed' });
  });

  it('a repeated sign-up re-sends for an unconfirmed address and, for a confirmed one, answers a decoy without a mail', async () => {
    const email = uniqueEmail('again');
    const first = await anonClient().auth.signUp({ email, password: PASSWORD });
    await pastRateLimit(email);
    const second = await anonClient().auth.signUp({ email: email.toUpperCase(), password: 'another-password' });
    expect(second.error).toBeNull();
    expect(second.data.user?.id).toBe(first.data.user?.id);
    expect(await mailsTo(email)).toHaveLength(2);

    const confirmed = await anonClient().auth.signUp({ email: 'demo@recruiter.test', password: PASSWORD });
    expect(confirmed.error).toBeNull();
    expect(confirmed.data.session).toBeNull();
    expect(confirmed.data.user?.id).not.toBe('de000000-0000-4000-8000-000000000001');
    expect(confirmed.data.user?.identities).toEqual([]);
    expect(await mailsTo('demo@recruiter.test')).toEqual([]);
    // Nobody's password changed: the demo recruiter still signs in with theirs.
    expect((await anonClient().auth.signInWithPassword({ email: 'demo@recruiter.test', password: 'demo-password-123' })).error).toBeNull();
  });

  it('honours emailRedirectTo on the site_url host or the allow-list, else sends the link to site_url', async () => {
    const cases: [string, string][] = [
      ['http://127.0.0.1:4173/welcome', 'http://127.0.0.1:4173/welcome'],
      ['http://localhost:5173', 'http://localhost:5173'],
      ['https://evil.example/steal', SITE_URL],
      ['http://localhost:5173.evil.example/', SITE_URL],
    ];
    for (const [requested, expected] of cases) {
      const email = uniqueEmail('redirect');
      await anonClient().auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: requested } });
      const link = new URL(await latestMailLink(API_URL, email));
      expect(link.searchParams.get('redirect_to')).toBe(expected);
    }
  });

  it('refuses passwords under minimum_password_length (8): 422 weak_password with reasons, no user, no mail', async () => {
    const email = uniqueEmail('weak');
    const { error } = await anonClient().auth.signUp({ email, password: 'seven77' });
    expect(error).toBeInstanceOf(AuthWeakPasswordError);
    expect(error).toMatchObject({ status: 422, code: 'weak_password', message: 'Password should be at least 8 characters.', reasons: ['length'] });
    expect((await anonClient().auth.signUp({ email, password: 'eight888' })).error).toBeNull();
  });

  it('verify without a token or with an unknown type is 400 validation_failed, not a redirect', async () => {
    const noToken = await fetch(`${API_URL}/auth/v1/verify?type=signup`, { redirect: 'manual' });
    expect(noToken.status).toBe(400);
    expect(await noToken.json()).toMatchObject({ error_code: 'validation_failed', msg: 'Verify requires a token or a token hash' });
    const badType = await fetch(`${API_URL}/auth/v1/verify?token=abc&type=nonsense`, { redirect: 'manual' });
    expect(badType.status).toBe(400);
    expect(await badType.json()).toMatchObject({ error_code: 'validation_failed' });
  });

  it('the inbox page lists each mail with its recipient, subject and a clickable link', async () => {
    const email = uniqueEmail('inbox');
    await anonClient().auth.signUp({ email, password: PASSWORD });
    const link = await latestMailLink(API_URL, email);
    const page = await fetch(`${API_URL}/inbox?to=${encodeURIComponent(email)}`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain(email);
    expect(html).toContain('Confirm Your Signup');
    expect(html).toContain(`<a href="${link.replaceAll('&', '&amp;')}">`);
  });
});

describe('sign-up with confirmations off', () => {
  it('signs in at once, and a second sign-up for the address is 422 user_already_exists', async () => {
    const email = uniqueEmail('auto');
    const client = anonClient(autoconfirm.url);
    const first = await client.auth.signUp({ email, password: PASSWORD });
    expect(first.data.session?.access_token).toBeTruthy();
    expect(first.data.user?.email_confirmed_at).toBeTruthy();
    const settings = await fetch(`${autoconfirm.url}/auth/v1/settings`, { headers: { apikey: stackEnv().ANON_KEY } });
    expect(await settings.json()).toMatchObject({ mailer_autoconfirm: true });
    const again = await anonClient(autoconfirm.url).auth.signUp({ email: email.toUpperCase(), password: PASSWORD });
    expect(again.data.session).toBeNull();
    expect(again.error).toMatchObject({ status: 422, code: 'user_already_exists', message: 'User already registered' });
  });
});
