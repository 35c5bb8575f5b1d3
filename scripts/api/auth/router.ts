// /auth/v1: the GoTrue endpoints auth-js uses (signup, password and refresh_token grants, user,
// logout, settings, health). Email confirmation is off locally, so sign-up returns a session.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import bcrypt from 'bcryptjs';
import { readBody, sendJson, send, BodyTooLarge } from '../http.ts';
import { apiKeyOf, identityFromToken, AuthFailure } from '../keys.ts';
import { bearerToken, verifyJwt, JwtError, type Claims } from '../jwt.ts';
import type { LocalConfig } from '../config-toml.ts';
import { AuthError, OAuthError, invalidCredentials, sendAuthError, validationFailed, API_VERSION } from './errors.ts';
import { findUserByEmail, findUserById, insertUser, touchSignIn, updateUser, userJson } from './users.ts';
import { createSession, endSessions, refreshSession, sessionExists, type SessionSettings } from './sessions.ts';

export interface AuthDeps {
  pool: pg.Pool;
  secret: Uint8Array;
  config: LocalConfig;
  issuer: string;
}

const BCRYPT_COST = 10;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Json = Record<string, unknown>;

function parseJson(body: Buffer): Json {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  } catch {
    // fall through
  }
  throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON');
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

function checkPassword(password: string | undefined, minimum: number, missingMessage: string): string {
  if (!password) throw validationFailed(missingMessage);
  if (password.length < minimum) {
    throw new AuthError(422, 'weak_password', `Password should be at least ${minimum} characters.`, { weak_password: { reasons: ['length'] } });
  }
  return password;
}

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

function sessionSettings(deps: AuthDeps): SessionSettings {
  return {
    secret: deps.secret,
    issuer: deps.issuer,
    expirySeconds: deps.config.jwtExpirySeconds,
    reuseIntervalSeconds: deps.config.refreshTokenReuseIntervalSeconds,
  };
}

async function signup(body: Json, deps: AuthDeps): Promise<Json> {
  const { config } = deps;
  if (!config.enableSignup) throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
  const rawEmail = str(body.email);
  if (str(body.phone)) throw new AuthError(400, 'phone_provider_disabled', 'Phone signups are disabled');
  if (!rawEmail) throw new AuthError(422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  const email = rawEmail.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 255) throw validationFailed('Unable to validate email address: invalid format');
  const password = checkPassword(str(body.password), config.minimumPasswordLength, 'Signup requires a valid password');
  const data = body.data;
  const metadata = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Json) : {};
  const passwordHash = await bcrypt.hash(password, BCRYPT_COST);
  const alreadyExists = new AuthError(422, 'user_already_exists', 'User already registered');
  return inTransaction(deps.pool, async (client) => {
    if (await findUserByEmail(client, email)) throw alreadyExists;
    let user;
    try {
      user = await insertUser(client, { email, passwordHash, metadata });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw alreadyExists;
      console.error('auth: signup failed in the database', error);
      throw new AuthError(500, 'unexpected_failure', 'Database error saving new user');
    }
    user = await touchSignIn(client, user.id);
    return createSession(client, user, sessionSettings(deps));
  });
}

async function passwordGrant(body: Json, deps: AuthDeps): Promise<Json> {
  const email = str(body.email)?.trim();
  const password = str(body.password);
  if (!email && !str(body.phone)) throw validationFailed('missing email or phone');
  if (!email || !password) throw invalidCredentials();
  const user = await findUserByEmail(deps.pool, email);
  if (!user || !user.encrypted_password) throw invalidCredentials();
  if (!(await bcrypt.compare(password, user.encrypted_password))) throw invalidCredentials();
  if (user.banned_until && user.banned_until.getTime() > Date.now()) throw new AuthError(400, 'user_banned', 'User is banned');
  if (!user.email_confirmed_at) throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed');
  return inTransaction(deps.pool, async (client) => createSession(client, await touchSignIn(client, user.id), sessionSettings(deps)));
}

async function refreshGrant(body: Json, deps: AuthDeps): Promise<Json> {
  const token = str(body.refresh_token);
  if (!token) throw new OAuthError('invalid_request', 'refresh_token required');
  const outcome = await inTransaction(deps.pool, (client) => refreshSession(client, token, sessionSettings(deps)));
  if (outcome instanceof AuthError) throw outcome;
  return outcome;
}

async function getUser(req: IncomingMessage, deps: AuthDeps): Promise<Json> {
  const claims = await authenticatedClaims(req, deps);
  const user = await findUserById(deps.pool, claims.sub);
  if (!user) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
  return userJson(user);
}

async function putUser(req: IncomingMessage, body: Json, deps: AuthDeps): Promise<Json> {
  const claims = await authenticatedClaims(req, deps);
  if (!(await findUserById(deps.pool, claims.sub))) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
  if (body.email !== undefined || body.phone !== undefined) {
    throw validationFailed('Changing the email or phone is not supported by the local auth server');
  }
  const data = body.data;
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) throw validationFailed('data must be an object');
  const password = body.password === undefined ? undefined : checkPassword(str(body.password), deps.config.minimumPasswordLength, 'Password update requires a valid password');
  const passwordHash = password === undefined ? undefined : await bcrypt.hash(password, BCRYPT_COST);
  return userJson(await updateUser(deps.pool, claims.sub, { metadata: data as Json | undefined, passwordHash }));
}

async function logout(req: IncomingMessage, url: URL, deps: AuthDeps): Promise<void> {
  const claims = await authenticatedClaims(req, deps);
  const scope = url.searchParams.get('scope') ?? 'global';
  if (scope !== 'global' && scope !== 'local' && scope !== 'others') throw validationFailed(`Unsupported logout scope "${scope}"`);
  await endSessions(deps.pool, claims.sub, str(claims.session_id), scope);
}

function settings(config: LocalConfig): Json {
  return {
    external: { email: true, phone: false, anonymous_users: config.enableAnonymousSignIns },
    disable_signup: !config.enableSignup,
    mailer_autoconfirm: true,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
  };
}

/** The gateway (Kong key-auth) refuses /auth/v1 requests without a valid API key. */
async function requireApiKey(req: IncomingMessage, url: URL, deps: AuthDeps): Promise<void> {
  const key = apiKeyOf(req.headers, url.searchParams);
  if (!key) throw new AuthError(401, 'no_api_key', 'No API key found in request');
  try {
    await identityFromToken(key, deps.secret);
  } catch (error) {
    if (error instanceof AuthFailure) throw new AuthError(401, 'bad_api_key', 'Invalid API key');
    throw error;
  }
}

export function createAuthHandler(deps: AuthDeps) {
  return async function handleAuth(req: IncomingMessage, res: ServerResponse, url: URL, subPath: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const route = `${method} ${subPath.replace(/\/+$/, '') || '/'}`;
    const versionHeader = { 'X-Supabase-Api-Version': API_VERSION };
    try {
      if (route === 'GET /health') {
        sendJson(res, 200, { version: 'local', name: 'GoTrue', description: 'GoTrue stand-in of the local Supabase stack' });
        return;
      }
      await requireApiKey(req, url, deps);
      const body = method === 'GET' ? {} : parseJson(await readBody(req));
      switch (route) {
        case 'GET /settings':
          sendJson(res, 200, settings(deps.config));
          return;
        case 'POST /signup':
          sendJson(res, 200, await signup(body, deps), versionHeader);
          return;
        case 'POST /token': {
          const grant = url.searchParams.get('grant_type');
          if (grant === 'password') sendJson(res, 200, await passwordGrant(body, deps), versionHeader);
          else if (grant === 'refresh_token') sendJson(res, 200, await refreshGrant(body, deps), versionHeader);
          else throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type');
          return;
        }
        case 'GET /user':
          sendJson(res, 200, await getUser(req, deps), versionHeader);
          return;
        case 'PUT /user':
          sendJson(res, 200, await putUser(req, body, deps), versionHeader);
          return;
        case 'POST /logout':
          await logout(req, url, deps);
          send(res, 204, undefined, versionHeader);
          return;
        default:
          throw new AuthError(404, 'not_found', `Unsupported route ${route} on the local auth server`);
      }
    } catch (error) {
      if (error instanceof AuthError || error instanceof OAuthError) sendAuthError(req, res, error);
      else if (error instanceof BodyTooLarge) sendAuthError(req, res, new AuthError(413, 'request_too_large', error.message));
      else {
        console.error('auth: unexpected error', error);
        sendAuthError(req, res, new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information'));
      }
    }
  };
}
