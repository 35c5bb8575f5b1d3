// The ways to get a session: sign-up (a session at once with confirmations off; else a mailed
// link, see confirmation.ts), the password grant and the refresh_token grant.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import bcrypt from 'bcryptjs';
import { AuthError, OAuthError, invalidCredentials, validationFailed } from './errors.ts';
import { findUserByEmail, insertUser, touchSignIn, userJson, type UserRow } from './users.ts';
import { sendConfirmation } from './confirmation.ts';
import { isEmailShaped } from './email.ts';
import { isDataException } from './errors.ts';
import { redirectTarget } from './redirects.ts';
import { createSession, refreshSession } from './sessions.ts';
import { BCRYPT_COST, DUMMY_PASSWORD_HASH, checkPassword, inTransaction, passwordTooLong, sessionSettings, type AuthDeps } from './deps.ts';

type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** What GoTrue answers a repeated sign-up for a confirmed address: a plausible stranger, no error. */
function decoyUser(email: string, metadata: Json): Json {
  const now = new Date().toISOString();
  return {
    id: crypto.randomUUID(), aud: '', role: '', email, phone: '', confirmation_sent_at: now,
    app_metadata: { provider: 'email', providers: ['email'] }, user_metadata: metadata, identities: [],
    created_at: now, updated_at: now, is_anonymous: false,
  };
}

export async function signup(req: IncomingMessage, url: URL, body: Json, deps: AuthDeps): Promise<Json> {
  const { config } = deps;
  if (!config.enableSignup) throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
  const rawEmail = str(body.email);
  if (str(body.phone)) throw new AuthError(400, 'phone_provider_disabled', 'Phone signups are disabled');
  if (!rawEmail) throw new AuthError(422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  const email = rawEmail.trim().toLowerCase();
  if (!isEmailShaped(email)) throw validationFailed('Unable to validate email address: invalid format');
  const password = checkPassword(str(body.password), config.minimumPasswordLength, 'Signup requires a valid password');
  const data = body.data;
  const metadata = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Json) : {};
  const redirectTo = redirectTarget(req, url, config);
  const outcome = await signUpEmail(email, password, metadata, redirectTo, deps);
  if (outcome.kind === 'exists') return decoyUser(email, metadata);
  return outcome.kind === 'session' ? outcome.session : userJson(outcome.user);
}

export type SignUpOutcome =
  | { kind: 'exists' }
  | { kind: 'mailed'; user: UserRow }
  | { kind: 'session'; session: Json; user: UserRow };

/**
 * GoTrue's Signup for an e-mail address, shared by POST /signup and POST /otp (which signs a new
 * address up with a random password, as GoTrue's MagicLink does): a new address is inserted and
 * mailed a link (or, with confirmations off, confirmed and signed in); an unconfirmed one gets its
 * link again and keeps its stored password ("we can't be sure of their claimed identity": the
 * database discards it when the address is confirmed); a confirmed one is 'exists'.
 */
export async function signUpEmail(email: string, password: string, metadata: Json, redirectTo: string, deps: AuthDeps): Promise<SignUpOutcome> {
  const { config } = deps;
  const passwordHash = await bcrypt.hash(password, BCRYPT_COST);
  const alreadyExists = new AuthError(422, 'user_already_exists', 'User already registered');
  return inTransaction(deps.pool, async (client): Promise<SignUpOutcome> => {
    const existing = await findUserByEmail(client, email);
    if (existing && !config.enableConfirmations) throw alreadyExists;
    // With confirmations on, GoTrue never says an address is taken: the caller answers a confirmed
    // one with a decoy (signup) or a magic link (otp); an unconfirmed one gets its link again.
    if (existing?.email_confirmed_at) return { kind: 'exists' };
    if (existing) return { kind: 'mailed', user: await sendConfirmation(client, existing, redirectTo, deps) };
    let user;
    try {
      user = await insertUser(client, { email, passwordHash, metadata, confirmed: !config.enableConfirmations });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw alreadyExists;
      if (isDataException(error)) throw error; // the client's value: answered 400 by the router
      console.error('auth: signup failed in the database', error);
      throw new AuthError(500, 'unexpected_failure', 'Database error saving new user');
    }
    if (config.enableConfirmations) return { kind: 'mailed', user: await sendConfirmation(client, user, redirectTo, deps) };
    user = await touchSignIn(client, user.id);
    return { kind: 'session', session: await createSession(client, user, sessionSettings(deps)), user };
  });
}

export async function passwordGrant(body: Json, deps: AuthDeps): Promise<Json> {
  const email = str(body.email)?.trim();
  const password = str(body.password);
  if (!email && !str(body.phone)) throw validationFailed('missing email or phone');
  // Over 72 bytes bcrypt would compare a truncated prefix; no stored password can be that long.
  if (!email || !isEmailShaped(email.toLowerCase()) || !password || passwordTooLong(password)) throw invalidCredentials();
  const user = await findUserByEmail(deps.pool, email);
  // Unknown emails still pay for one bcrypt compare: response time must not reveal who has an account.
  const matches = await bcrypt.compare(password, user?.encrypted_password || DUMMY_PASSWORD_HASH);
  if (!user || !user.encrypted_password || !matches) throw invalidCredentials();
  if (user.banned_until && user.banned_until.getTime() > Date.now()) throw new AuthError(400, 'user_banned', 'User is banned');
  if (!user.email_confirmed_at) throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed');
  return inTransaction(deps.pool, async (client) => createSession(client, await touchSignIn(client, user.id), sessionSettings(deps)));
}

export async function refreshGrant(body: Json, deps: AuthDeps): Promise<Json> {
  const token = str(body.refresh_token);
  if (!token) throw new OAuthError('invalid_request', 'refresh_token required');
  const outcome = await inTransaction(deps.pool, (client) => refreshSession(client, token, sessionSettings(deps)));
  if (outcome instanceof AuthError) throw outcome;
  return outcome;
}

