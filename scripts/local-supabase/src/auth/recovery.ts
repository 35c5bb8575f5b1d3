// Password recovery as GoTrue does it (implicit flow): POST /recover mails a link
// (GET /verify?token=<hash>&type=recovery&redirect_to=...); following it opens a session and
// redirects (303) with it in the fragment and type=recovery, which auth-js turns into the
// PASSWORD_RECOVERY event; the page there sets the new password with PUT /user.
import type { IncomingMessage } from 'node:http';
import { AuthError, validationFailed } from './errors.ts';
import { completeRecovery, findUserByEmail, findUserByRecoveryToken, recoverySentAt, setRecoveryToken } from './users.ts';
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
    if (!user) return;
    // GoTrue's MaxFrequencyLimitError: one recovery mail per max_frequency per user.
    const sentAt = await recoverySentAt(client, user.id);
    const waitMs = (sentAt?.getTime() ?? 0) + deps.config.emailMaxFrequencySeconds * 1000 - Date.now();
    if (waitMs > 0) {
      throw new AuthError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${Math.ceil(waitMs / 1000)} seconds.`);
    }
    const hash = tokenHash(email);
    await setRecoveryToken(client, user.id, hash);
    const link = `${deps.issuer}/verify?token=${hash}&type=recovery&redirect_to=${encodeURIComponent(redirectTo)}`;
    deps.mailbox.send({
      to: email,
      subject: 'Reset Your Password',
      text: `Reset password\n\nFollow this link to reset the password for your user:\n${link}\n\nThe link works once and expires in ${Math.round(deps.config.emailOtpExpirySeconds / 60)} minutes. If you did not ask for it, ignore this e-mail: your password stays as it is.`,
      links: [link],
    });
  });
  return {};
}

/** GET /verify?type=recovery: spends the token and returns where to redirect (with a session or an error). */
export async function verifyRecoveryLink(req: IncomingMessage, url: URL, token: string, deps: AuthDeps): Promise<string> {
  const base = redirectTarget(req, url, deps.config).split('#')[0];
  return inTransaction(deps.pool, async (client) => {
    const found = await findUserByRecoveryToken(client, token);
    if (!found || (found.sentAt?.getTime() ?? 0) + deps.config.emailOtpExpirySeconds * 1000 < Date.now()) {
      return errorRedirect(base, 'otp_expired', 'Email link is invalid or has expired');
    }
    const session = await createSession(client, await completeRecovery(client, found.user.id), sessionSettings(deps));
    return `${base}#${sessionFragment(session, 'recovery')}`;
  });
}
