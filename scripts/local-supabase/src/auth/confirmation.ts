// E-mail confirmation as GoTrue does it with [auth.email] enable_confirmations = true: sign-up
// mails a link (GET /verify?token=<hash>&type=signup&redirect_to=...) instead of opening a
// session; following it confirms the address and redirects (303) to redirect_to with the session
// in the URL fragment (the implicit flow supabase-js detects). Mail goes to the local inbox.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import { AuthError, validationFailed } from './errors.ts';
import { confirmEmail, findUserByConfirmationToken, findUserByEmail, setConfirmationToken, type UserRow } from './users.ts';
import { createSession } from './sessions.ts';
import { redirectTarget } from './redirects.ts';
import { isEmailShaped } from './email.ts';
import { inTransaction, sessionSettings, type AuthDeps } from './deps.ts';
import { verifyRecoveryLink } from './recovery.ts';

type Json = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** GoTrue's GenerateTokenHash: the link carries sha224(email + otp), never the otp itself. */
export function tokenHash(email: string): string {
  const otp = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
  return crypto.createHash('sha224').update(email + otp).digest('hex');
}

/** Mails a fresh confirmation link, at most one per max_frequency (GoTrue's MaxFrequencyLimitError). */
export async function sendConfirmation(client: pg.PoolClient, user: UserRow, redirectTo: string, deps: AuthDeps): Promise<UserRow> {
  const email = user.email ?? '';
  const waitMs = (user.confirmation_sent_at?.getTime() ?? 0) + deps.config.emailMaxFrequencySeconds * 1000 - Date.now();
  if (waitMs > 0) {
    throw new AuthError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${Math.ceil(waitMs / 1000)} seconds.`);
  }
  const hash = tokenHash(email);
  const updated = await setConfirmationToken(client, user.id, hash);
  const link = `${deps.issuer}/verify?token=${hash}&type=signup&redirect_to=${encodeURIComponent(redirectTo)}`;
  deps.mailbox.send({
    to: email.toLowerCase(),
    subject: 'Confirm Your Signup',
    text: `Confirm your signup\n\nFollow this link to confirm your user:\n${link}\n\nThe link works once and expires in ${Math.round(deps.config.emailOtpExpirySeconds / 60)} minutes.`,
    links: [link],
  });
  return updated;
}

/** GoTrue's prepErrorRedirectURL for the implicit flow: the error rides in the fragment. */
export function errorRedirect(target: string, errorCode: string, description: string): string {
  const url = new URL(target);
  url.hash = new URLSearchParams({ error: 'access_denied', error_code: errorCode, error_description: description }).toString();
  return url.toString();
}

/** The implicit flow's fragment: the session and which kind of link opened it (auth-js reads `type`). */
export function sessionFragment(session: Json, type: 'signup' | 'recovery' | 'magiclink'): string {
  return new URLSearchParams({
    access_token: String(session.access_token),
    expires_at: String(session.expires_at),
    expires_in: String(session.expires_in),
    refresh_token: String(session.refresh_token),
    token_type: 'bearer',
    type,
  }).toString();
}

/** GET /verify: confirms the address and returns where to redirect (with a session or an error). */
export async function verifyLink(req: IncomingMessage, url: URL, deps: AuthDeps): Promise<string> {
  const token = url.searchParams.get('token');
  const type = url.searchParams.get('type');
  if (!token) throw validationFailed('Verify requires a token or a token hash');
  if (type === 'recovery' || type === 'magiclink') return verifyRecoveryLink(req, url, token, deps, type);
  if (type !== 'signup') throw validationFailed('Unsupported verification type');
  const target = redirectTarget(req, url, deps.config);
  const base = target.split('#')[0];
  return inTransaction(deps.pool, async (client) => {
    const user = await findUserByConfirmationToken(client, token);
    const sentAt = user?.confirmation_sent_at?.getTime() ?? 0;
    if (!user || sentAt + deps.config.emailOtpExpirySeconds * 1000 < Date.now()) {
      return errorRedirect(base, 'otp_expired', 'Email link is invalid or has expired');
    }
    const session = await createSession(client, await confirmEmail(client, user.id), sessionSettings(deps));
    return `${base}#${sessionFragment(session, 'signup')}`;
  });
}

/** POST /resend (type signup): a new link for an unconfirmed address; unknown or confirmed ones get {} too. */
export async function resend(req: IncomingMessage, url: URL, body: Json, deps: AuthDeps): Promise<Json> {
  const type = str(body.type);
  if (!type) throw validationFailed('Missing one of these types: signup, email_change, sms, phone_change');
  if (type !== 'signup') throw validationFailed(`Resending "${type}" is not supported by the local auth server`);
  const email = str(body.email)?.trim().toLowerCase();
  if (!email) throw validationFailed('Type provided requires an email address');
  if (!isEmailShaped(email)) throw validationFailed('Unable to validate email address: invalid format');
  const redirectTo = redirectTarget(req, url, deps.config);
  await inTransaction(deps.pool, async (client) => {
    const user = await findUserByEmail(client, email);
    // Answering the same for unknown and confirmed addresses keeps who has an account secret.
    if (user && !user.email_confirmed_at) await sendConfirmation(client, user, redirectTo, deps);
  });
  return {};
}
