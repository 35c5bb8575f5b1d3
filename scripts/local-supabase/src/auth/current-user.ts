// Endpoints for the signed-in user (GoTrue's requireAuthentication): read and update the user,
// and log out with a scope.
import type { IncomingMessage } from 'node:http';
import bcrypt from 'bcryptjs';
import { bearerToken, verifyJwt, JwtError, type Claims } from '../jwt.ts';
import { AuthError, validationFailed } from './errors.ts';
import { findUserById, updateUser, userJson } from './users.ts';
import { endSessions, sessionExists } from './sessions.ts';
import { BCRYPT_COST, checkPassword, type AuthDeps } from './deps.ts';

type Json = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** GoTrue's requireAuthentication: a valid user JWT whose user (and session) still exist. */
async function authenticatedClaims(req: IncomingMessage, deps: AuthDeps): Promise<Claims & { sub: string }> {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
  let claims: Claims;
  try {
    claims = await verifyJwt(token, deps.secret);
  } catch (error) {
    const reason = error instanceof JwtError && error.kind === 'expired' ? 'token has invalid claims: token is expired' : 'signature is invalid';
    throw new AuthError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${reason}`);
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
  if (!UUID.test(claims.sub)) throw new AuthError(400, 'bad_jwt', 'invalid claim: sub claim must be a UUID');
  if (typeof claims.session_id === 'string' && !(await sessionExists(deps.pool, claims.session_id))) {
    throw new AuthError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
  }
  return claims as Claims & { sub: string };
}

export async function getUser(req: IncomingMessage, deps: AuthDeps): Promise<Json> {
  const claims = await authenticatedClaims(req, deps);
  const user = await findUserById(deps.pool, claims.sub);
  if (!user) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
  return userJson(user);
}

export async function putUser(req: IncomingMessage, body: Json, deps: AuthDeps): Promise<Json> {
  const claims = await authenticatedClaims(req, deps);
  const user = await findUserById(deps.pool, claims.sub);
  if (!user) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
  if (body.email !== undefined || body.phone !== undefined) {
    throw validationFailed('Changing the email or phone is not supported by the local auth server');
  }
  const data = body.data;
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) throw validationFailed('data must be an object');
  const password = body.password === undefined ? undefined : checkPassword(str(body.password), deps.config.minimumPasswordLength, 'Password update requires a valid password');
  // GoTrue refuses a "new" password that is the current one (after the strength check).
  if (password !== undefined && user.encrypted_password && (await bcrypt.compare(password, user.encrypted_password))) {
    throw new AuthError(422, 'same_password', 'New password should be different from the old password.');
  }
  const passwordHash = password === undefined ? undefined : await bcrypt.hash(password, BCRYPT_COST);
  const updated = await updateUser(deps.pool, claims.sub, { metadata: data as Json | undefined, passwordHash });
  // As GoTrue's UpdatePassword: a new password ends every other session (someone who knew the old
  // one, or took over a recovery link, is signed out) and voids any recovery link still in the mail.
  if (passwordHash !== undefined) await endSessions(deps.pool, claims.sub, str(claims.session_id), 'others');
  return userJson(updated);
}

export async function logout(req: IncomingMessage, url: URL, deps: AuthDeps): Promise<void> {
  const claims = await authenticatedClaims(req, deps);
  const scope = url.searchParams.get('scope') ?? 'global';
  if (scope !== 'global' && scope !== 'local' && scope !== 'others') throw validationFailed(`Unsupported logout scope "${scope}"`);
  await endSessions(deps.pool, claims.sub, str(claims.session_id), scope);
}

