// Password recovery as GoTrue does it (implicit flow): POST /recover mails a link
// (GET /verify?token=<hash>&type=recovery&redirect_to=...); following it opens a session and
// redirects (303) with it in the fragment and type=recovery, which auth-js turns into the
// PASSWORD_RECOVERY event; the page there sets the new password with PUT /user. Magic links
// (POST /otp for a confirmed address, otp.ts) are the same link with type=magiclink.
import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import { AuthError, validationFailed } from './errors.ts';
import { completeRecovery, findUserByEmail, findUserByRecoveryToken, recoverySentAt, setRecoveryToken, type UserRow } from './users.ts';
import { createSession } from './sessions.ts';
import { redirectTarget } from './redirects.ts';
import { errorRedirect, sessionFragment, tokenHash } from './confirmation.ts';
import { inTransaction, sessionSettings, type AuthDeps } from './deps.ts';

type Json = Record<string, unknown>;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** POST /recover: always {} for a well-formed address, known or not, so nobody learns who has an account. */
export async function recover(req: IncomingMessage, url: URL, body: Json, deps: AuthDeps): Promise<Json> {
  const raw = str(body.email);
  if (!raw) throw validationFailed('Password recovery requires an email');
  const email = raw.trim().toLowerCase();
  if (email.length > 255) throw validationFailed('An email address is too long');
  if (!EMAIL.test(email)) throw validationFailed('Unable to validate email address: invalid format');
  if (str(body.code_challenge)) throw validationFailed('The PKCE flow is not supported by the local auth server; use the implicit flow');
  const redirectTo = redirectTarget(req, url, deps.config);
  await inTransaction(deps.pool, async (client) => {
    const user = await findUserByEmail(client, email);
    if (user) await mailRecoveryLink(client, user, redirectTo, deps, 'recovery');
  });
  return {};
}

const MAILS = {
  recovery: {
    subject: 'Reset Your Password',
    text: (link: string, minutes: number) => `Reset password\n\nFollow this link to reset the password for your user:\n${link}\n\nThe link works once and expires in ${minutes} minutes. If you did not ask for it, ignore this e-mail: your password stays as it is.`,
  },
  magiclink: {
    subject: 'Your Magic Link',
    text: (link: string, minutes: number) => `Magic Link\n\nFollow this link to login:\n${link}\n\nThe link works once and expires in ${minutes} minutes. If you did not ask for it, ignore this e-mail.`,
  },
} as const;

/**
 * Mails a recovery or magic link (GoTrue's sendMagicLink: "a magic link is just a recovery with a
 * different template", same token column and same max_frequency timer).
 */
export async function mailRecoveryLink(client: pg.PoolClient, user: UserRow, redirectTo: string, deps: AuthDeps, type: 'recovery' | 'magiclink'): Promise<void> {
  const email = (user.email ?? '').toLowerCase();
  // GoTrue's MaxFrequencyLimitError: one recovery or magic-link mail per max_frequency per user.
  const sentAt = await recoverySentAt(client, user.id);
  const waitMs = (sentAt?.getTime() ?? 0) + deps.config.emailMaxFrequencySeconds * 1000 - Date.now();
  if (waitMs > 0) {
    throw new AuthError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${Math.ceil(waitMs / 1000)} seconds.`);
  }
  const hash = tokenHash(email);
  await setRecoveryToken(client, user.id, hash);
  const link = `${deps.issuer}/verify?token=${hash}&type=${type}&redirect_to=${encodeURIComponent(redirectTo)}`;
  const mail = MAILS[type];
  deps.mailbox.send({ to: email, subject: mail.subject, text: mail.text(link, Math.round(deps.config.emailOtpExpirySeconds / 60)), links: [link] });
}

/**
 * GET /verify?type=recovery|magiclink: spends the token and returns where to redirect (with a
 * session or an error). Following it also confirms an unconfirmed address (GoTrue's recoverVerify).
 */
export async function verifyRecoveryLink(req: IncomingMessage, url: URL, token: string, deps: AuthDeps, type: 'recovery' | 'magiclink' = 'recovery'): Promise<string> {
  const base = redirectTarget(req, url, deps.config).split('#')[0];
  return inTransaction(deps.pool, async (client) => {
    const found = await findUserByRecoveryToken(client, token);
    if (!found || (found.sentAt?.getTime() ?? 0) + deps.config.emailOtpExpirySeconds * 1000 < Date.now()) {
      return errorRedirect(base, 'otp_expired', 'Email link is invalid or has expired');
    }
    const session = await createSession(client, await completeRecovery(client, found.user.id), sessionSettings(deps));
    return `${base}#${sessionFragment(session, type)}`;
  });
}
