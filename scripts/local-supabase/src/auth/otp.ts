// POST /otp for an e-mail address (supabase-js signInWithOtp), as GoTrue's Otp and MagicLink do
// it in the implicit flow: a new or unconfirmed address is signed up with a random password nobody
// knows (GoTrue's "temporary password") and mailed the sign-up link; a confirmed one is mailed a
// magic link that signs in. Either way the answer is {}. This is how the SPA signs up: the address
// is proven first, the password chosen after (PUT /user).
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AuthError, validationFailed } from './errors.ts';
import { findUserByEmail } from './users.ts';
import { isEmailShaped } from './email.ts';
import { redirectTarget } from './redirects.ts';
import { signUpEmail } from './grants.ts';
import { mailRecoveryLink } from './recovery.ts';
import { inTransaction, type AuthDeps } from './deps.ts';

type Json = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export async function otp(req: IncomingMessage, url: URL, body: Json, deps: AuthDeps): Promise<Json> {
  const rawEmail = str(body.email);
  const phone = str(body.phone);
  if (rawEmail && phone) throw validationFailed('Only an email address or phone number should be provided');
  if (phone) throw new AuthError(400, 'phone_provider_disabled', 'Unsupported phone provider');
  if (!rawEmail) throw validationFailed('One of email or phone must be set');
  const email = rawEmail.trim().toLowerCase();
  if (!isEmailShaped(email)) throw validationFailed('Unable to validate email address: invalid format');
  if (str(body.code_challenge)) throw validationFailed('The PKCE flow is not supported by the local auth server; use the implicit flow');
  const data = body.data;
  const metadata = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Json) : {};
  const redirectTo = redirectTarget(req, url, deps.config);

  const existing = await findUserByEmail(deps.pool, email);
  if (!existing) {
    // create_user: false (shouldCreateUser) refuses unknown addresses, as GoTrue does.
    if (body.create_user === false) throw new AuthError(422, 'otp_disabled', 'Signups not allowed for otp');
    if (!deps.config.enableSignup) throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
  }
  if (!existing?.email_confirmed_at) {
    const outcome = await signUpEmail(email, crypto.randomBytes(24).toString('base64url'), metadata, redirectTo, deps);
    // The sign-up mail is the link; only an autoconfirmed (or meanwhile confirmed) user still needs one.
    if (outcome.kind === 'mailed') return {};
  }
  await inTransaction(deps.pool, async (client) => {
    const user = await findUserByEmail(client, email);
    if (user) await mailRecoveryLink(client, user, redirectTo, deps, 'magiclink');
  });
  return {};
}
