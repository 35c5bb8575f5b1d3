// Nobody can pre-claim someone else's account (issue 18, item 2), scripted with supabase-js as an
// attacker would: sign up victim@ with the attacker's password and never confirm. The victim
// signs up later (the SPA's way: address first, signInWithOtp; or an old client's way: signUp
// with a password), or asks for a password reset; whatever link they follow, the attacker's
// password is refused afterwards, and the victim chooses theirs and signs in with it. The guard
// is a trigger on auth.users (users migration), so it holds on hosted Supabase too.
// Also the sign-up grant: paid when the address is confirmed, never to an unproven one.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { API_URL, anonClient, closeDb, db, freePort, grantCredits, stackEnv, TEST_DB_URL, uniqueEmail } from '../../../test-support/stack.ts';
import { followConfirmationLink, latestMailLink } from '../../../scripts/lib/confirm-signup.ts';
import { startApiServer, type ApiServer } from '../../../scripts/local-supabase/src/server.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ATTACKER_PASSWORD = 'attacker-knows-this';
const VICTIM_PASSWORD = 'victim-chose-this';
let autoconfirm: ApiServer;

beforeAll(async () => {
  autoconfirm = await startApiServer({
    port: await freePort(), dbUrl: TEST_DB_URL, env: stackEnv(),
    configToml: path.join(HERE, '../../../scripts/local-supabase/fixtures/autoconfirm.toml'),
  });
});

afterEach(async () => {
  await db().query('update billing.signup_grant set credits = 0');
});

afterAll(async () => {
  await autoconfirm?.close();
  await closeDb();
});

/** Lets the next e-mail to this address go out at once (max_frequency is 1 s). */
async function pastRateLimit(email: string): Promise<void> {
  await db().query(`update auth.users set confirmation_sent_at = now() - interval '2 seconds', recovery_sent_at = now() - interval '2 seconds' where email = $1`, [email]);
}

/** The attacker's move: sign the victim's address up with the attacker's password, never confirm. */
async function preClaim(email: string): Promise<void> {
  const { data, error } = await anonClient().auth.signUp({ email, password: ATTACKER_PASSWORD });
  expect(error).toBeNull();
  expect(data.session).toBeNull();
  await pastRateLimit(email);
}

/** The victim follows the newest link in their mailbox; their client is then signed in. */
async function victimFollowsLink(email: string): Promise<SupabaseClient> {
  const victim = anonClient();
  const { error } = await victim.auth.setSession(await followConfirmationLink(await latestMailLink(API_URL, email)));
  expect(error).toBeNull();
  return victim;
}

async function attackerSignsIn(email: string) {
  return anonClient().auth.signInWithPassword({ email, password: ATTACKER_PASSWORD });
}

async function creditsOf(email: string): Promise<number> {
  const { rows } = await db().query<{ credits: number }>('select u.credits from public.users u where u.email = $1', [email]);
  return rows[0].credits;
}

async function expectVictimOwnsTheAccount(email: string, victim: SupabaseClient): Promise<void> {
  const attacker = await attackerSignsIn(email);
  expect(attacker.data.session).toBeNull();
  expect(attacker.error).toMatchObject({ status: 400, code: 'invalid_credentials' });
  const { data: flag } = await victim.from('users').select('has_password').single();
  expect(flag).toEqual({ has_password: false }); // the SPA sends them to "Choose your password"

  expect((await victim.auth.updateUser({ password: VICTIM_PASSWORD })).error).toBeNull();
  const own = await anonClient().auth.signInWithPassword({ email, password: VICTIM_PASSWORD });
  expect(own.error).toBeNull();
  expect(own.data.user?.id).toBe((await victim.auth.getUser()).data.user?.id);
  expect((await attackerSignsIn(email)).error).toMatchObject({ code: 'invalid_credentials' });
}

describe('a pre-claimed address', () => {
  it('the victim signs up the SPA\'s way (address first): the attacker\'s password stops working, the victim\'s works', async () => {
    const email = uniqueEmail('preclaim-otp');
    await preClaim(email);
    const { error } = await anonClient().auth.signInWithOtp({ email, options: { shouldCreateUser: true, data: { name: 'Victim' } } });
    expect(error).toBeNull();
    await expectVictimOwnsTheAccount(email, await victimFollowsLink(email));
  });

  it('the victim signs up with a password (any other client): neither pre-confirmation password survives', async () => {
    const email = uniqueEmail('preclaim-signup');
    await preClaim(email);
    expect((await anonClient().auth.signUp({ email, password: 'victim-typed-before-proof' })).error).toBeNull();
    const victim = await victimFollowsLink(email);
    expect((await anonClient().auth.signInWithPassword({ email, password: 'victim-typed-before-proof' })).error).toMatchObject({ code: 'invalid_credentials' });
    await expectVictimOwnsTheAccount(email, victim);
  });

  it('the victim resets the password instead: the recovery link proves the address, the attacker is out', async () => {
    const email = uniqueEmail('preclaim-recover');
    await preClaim(email);
    expect((await anonClient().auth.resetPasswordForEmail(email)).error).toBeNull();
    await expectVictimOwnsTheAccount(email, await victimFollowsLink(email));
  });

  it('and the attacker cannot spend what the victim buys', async () => {
    const email = uniqueEmail('preclaim-spend');
    await preClaim(email);
    await anonClient().auth.signInWithOtp({ email });
    const victim = await victimFollowsLink(email);
    const { data: me } = await victim.auth.getUser();
    expect(await grantCredits(me.user!.id, 10)).toBe(10); // the victim's purchase
    const attacker = await attackerSignsIn(email);
    expect(attacker.data.session).toBeNull();
    // Nor with anything the attacker holds: no token of theirs names the account.
    const spend = await anonClient().rpc('create_interview', { job_position: 'Stolen', duration_minutes: 30 });
    expect(spend.error).not.toBeNull();
    expect(await creditsOf(email)).toBe(10);
  });

  it('a session the attacker opened before the owner proved the address dies with the confirmation', async () => {
    // The attacker got in while the address was not proven: the project confirmed at once then
    // (autoconfirm), and support, told the address was someone else's, un-confirmed it.
    const email = uniqueEmail('preclaim-session');
    const attacker = anonClient(autoconfirm.url);
    const signedUp = await attacker.auth.signUp({ email, password: ATTACKER_PASSWORD });
    expect(signedUp.data.session).not.toBeNull();
    const attackerRefresh = signedUp.data.session!.refresh_token;
    await db().query('update auth.users set email_confirmed_at = null where email = $1', [email]);
    await pastRateLimit(email);
    // The owner signs up the SPA's way and follows the link.
    expect((await anonClient().auth.signInWithOtp({ email, options: { shouldCreateUser: true } })).error).toBeNull();
    const victim = await victimFollowsLink(email);
    const { data: me } = await victim.auth.getUser();
    expect(await grantCredits(me.user!.id, 10)).toBe(10);
    // The attacker's refresh token (from before the confirmation) no longer opens a session.
    const refreshed = await anonClient().auth.refreshSession({ refresh_token: attackerRefresh });
    expect(refreshed.data.session).toBeNull();
    expect(refreshed.error).toMatchObject({ status: 400 });
    expect((await victim.auth.getUser()).error).toBeNull(); // the owner's own session is the link's, made after
    expect(await creditsOf(email)).toBe(10);
  });
});

describe('the sign-up grant', () => {
  it('is paid when the address is confirmed, not when someone types it', async () => {
    await db().query(`update billing.signup_grant set credits = 3, expires_after = interval '30 days'`);
    const email = uniqueEmail('grant-on-confirm');
    await preClaim(email);
    expect(await creditsOf(email)).toBe(0);
    await anonClient().auth.signInWithOtp({ email });
    expect(await creditsOf(email)).toBe(0);
    const victim = await victimFollowsLink(email);
    expect(await creditsOf(email)).toBe(3);
    const { data } = await victim.from('credit_ledger').select('kind, delta');
    expect(data).toEqual([{ kind: 'grant', delta: 3 }]);
  });

  it('is paid once, on sign-up, to an address confirmed at once (autoconfirm), whose password is kept', async () => {
    await db().query(`update billing.signup_grant set credits = 3, expires_after = interval '30 days'`);
    const email = uniqueEmail('grant-autoconfirm');
    const client = anonClient(autoconfirm.url);
    const { data, error } = await client.auth.signUp({ email, password: VICTIM_PASSWORD });
    expect(error).toBeNull();
    expect(data.session).not.toBeNull();
    expect(await creditsOf(email)).toBe(3);
    expect((await anonClient(autoconfirm.url).auth.signInWithPassword({ email, password: VICTIM_PASSWORD })).error).toBeNull();
    await db().query('update auth.users set email_confirmed_at = now() where email = $1', [email]);
    expect(await creditsOf(email)).toBe(3);
  });
});
