// POST /otp (supabase-js signInWithOtp) as GoTrue answers it with confirmations on, in the
// implicit flow: the SPA's sign-up. A new address gets the sign-up link and no usable password;
// an unconfirmed one gets its link again; a confirmed one gets a magic link that signs in and
// leaves its password alone. Confirming discards any password set before (users migration).
import { afterAll, describe, expect, it } from 'vitest';
import { API_URL, anonClient, closeDb, db, stackEnv, uniqueEmail } from '../../../test-support/stack.ts';
import { latestMailLink, followConfirmationLink } from '../../lib/confirm-signup.ts';

afterAll(closeDb);

async function mailsTo(email: string): Promise<{ subject: string; links: string[] }[]> {
  const response = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(email)}`);
  return ((await response.json()) as { messages: { subject: string; links: string[] }[] }).messages;
}

/** Lets the next e-mail to this address go out at once (max_frequency is 1 s). */
async function pastRateLimit(email: string): Promise<void> {
  await db().query(`update auth.users set confirmation_sent_at = now() - interval '2 seconds', recovery_sent_at = now() - interval '2 seconds' where email = $1`, [email]);
}

async function passwordOf(email: string): Promise<string | null> {
  const { rows } = await db().query<{ encrypted_password: string | null }>('select encrypted_password from auth.users where email = $1', [email]);
  return rows[0]?.encrypted_password ?? null;
}

describe('POST /otp with an e-mail address', () => {
  it('signs a new address up: {} and the sign-up link; the link signs in, with no password set', async () => {
    const email = uniqueEmail('otp-new');
    const client = anonClient();
    const { data, error } = await client.auth.signInWithOtp({ email, options: { shouldCreateUser: true, data: { name: 'Nia New' } } });
    expect(error).toBeNull();
    expect(data).toEqual({ user: null, session: null });
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.subject)).toEqual(['Confirm Your Signup']);
    expect(mails[0].links[0]).toMatch(/\/auth\/v1\/verify\?token=[0-9a-f]{56}&type=signup&redirect_to=/);
    const { rows } = await db().query('select name, has_password from public.users where email = $1', [email]);
    expect(rows).toEqual([{ name: 'Nia New', has_password: true }]); // GoTrue's temporary random password, until confirmation

    const tokens = await followConfirmationLink(mails[0].links[0]);
    const session = await client.auth.setSession(tokens);
    expect(session.data.user?.email_confirmed_at).toBeTruthy();
    expect(await passwordOf(email)).toBe('');
    expect((await db().query('select has_password from public.users where email = $1', [email])).rows).toEqual([{ has_password: false }]);

    // The signed-in user chooses a password (PUT /user); it then signs in.
    expect((await client.auth.updateUser({ password: 'chosen-after-proof' })).error).toBeNull();
    expect((await db().query('select has_password from public.users where email = $1', [email])).rows).toEqual([{ has_password: true }]);
    expect((await anonClient().auth.signInWithPassword({ email, password: 'chosen-after-proof' })).error).toBeNull();
  });

  it('mails an unconfirmed address its sign-up link again, keeping the stored password only until confirmation', async () => {
    const email = uniqueEmail('otp-unconfirmed');
    await anonClient().auth.signUp({ email, password: 'set-before-proof' });
    const stored = await passwordOf(email);
    const tooSoon = await anonClient().auth.signInWithOtp({ email });
    expect(tooSoon.error).toMatchObject({ status: 429, code: 'over_email_send_rate_limit' });
    await pastRateLimit(email);
    expect((await anonClient().auth.signInWithOtp({ email, options: { data: { name: 'Someone Else' } } })).error).toBeNull();
    expect(await passwordOf(email)).toBe(stored);
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.subject)).toEqual(['Confirm Your Signup', 'Confirm Your Signup']);
    await followConfirmationLink(mails[0].links[0]);
    const { error } = await anonClient().auth.signInWithPassword({ email, password: 'set-before-proof' });
    expect(error).toMatchObject({ status: 400, code: 'invalid_credentials' });
  });

  it('mails a confirmed address a magic link that signs in (type=magiclink) and leaves its password alone', async () => {
    const email = uniqueEmail('otp-known');
    const client = anonClient();
    await client.auth.signInWithOtp({ email });
    await client.auth.setSession(await followConfirmationLink(await latestMailLink(API_URL, email)));
    await client.auth.updateUser({ password: 'the-owners-password' });
    await pastRateLimit(email);

    expect((await anonClient().auth.signInWithOtp({ email, options: { data: { name: 'Ignored' } } })).error).toBeNull();
    const mails = await mailsTo(email);
    expect(mails[0].subject).toBe('Your Magic Link');
    expect(mails[0].links[0]).toMatch(/\/auth\/v1\/verify\?token=[0-9a-f]{56}&type=magiclink&redirect_to=/);
    const response = await fetch(mails[0].links[0], { redirect: 'manual' });
    const fragment = new URLSearchParams(new URL(response.headers.get('location')!).hash.slice(1));
    expect(fragment.get('type')).toBe('magiclink');
    expect(fragment.get('access_token')).toBeTruthy();
    expect((await anonClient().auth.signInWithPassword({ email, password: 'the-owners-password' })).error).toBeNull();
    // One magic link per max_frequency, on the recovery timer as GoTrue does.
    expect((await anonClient().auth.signInWithOtp({ email })).error).toMatchObject({ status: 429, code: 'over_email_send_rate_limit' });
  });

  it('refuses unknown addresses with shouldCreateUser false, and malformed requests, as GoTrue does', async () => {
    const unknown = uniqueEmail('otp-ghost');
    const refused = await anonClient().auth.signInWithOtp({ email: unknown, options: { shouldCreateUser: false } });
    expect(refused.error).toMatchObject({ status: 422, code: 'otp_disabled' });
    expect(await mailsTo(unknown)).toEqual([]);
    const post = (body: unknown) => fetch(`${API_URL}/auth/v1/otp`, {
      method: 'POST', headers: { apikey: stackEnv().ANON_KEY, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    expect((await post({})).status).toBe(400);
    expect(await (await post({ email: 'not-an-address' })).json()).toMatchObject({ error_code: 'validation_failed' });
  });
});
