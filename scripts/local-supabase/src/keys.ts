// Which database role a request runs as, decided from its API key and bearer token the way
// Supabase's gateway + PostgREST do. Legacy keys are JWTs (anon, service_role); new-style keys are
// opaque strings the gateway knows by exact match: the checkout's publishable key means `anon`,
// its secret key `service_role`. Any other `sb_…` string is refused, and a secret key sent by a
// browser is refused too (hosted matches on the User-Agent). A user JWT means its own `role`.
import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { PUBLISHABLE_PREFIX, SECRET_PREFIX } from '../../lib/opaque-keys.ts';
import { bearerToken, JwtError, verifyJwt, type Claims } from './jwt.ts';

export { PUBLISHABLE_PREFIX, SECRET_PREFIX };

/** The new-style keys the gateway accepts (hosted: the project's list of API keys). */
export interface ApiKeyRing {
  publishable: readonly string[];
  secret: readonly string[];
}

export interface RequestIdentity {
  role: string;
  claims: Claims;
  /** The raw token the role came from (for forwarding), if any. */
  token?: string;
}

export type AuthFailureCode = 'PGRST301' | 'PGRST303' | 'NO_API_KEY' | 'INVALID_API_KEY' | 'SECRET_KEY_IN_BROWSER';

export class AuthFailure extends Error {
  constructor(readonly code: AuthFailureCode, message: string) {
    super(message);
  }
}

export function isOpaqueKey(token: string): boolean {
  return token.startsWith(PUBLISHABLE_PREFIX) || token.startsWith(SECRET_PREFIX);
}

/** Constant-time equality that also hides the length of the registered key. */
function sameKey(candidate: string, registered: string): boolean {
  const digest = (value: string): Buffer => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(candidate), digest(registered));
}

function listed(candidate: string, keys: readonly string[]): boolean {
  let found = false;
  for (const key of keys) found = sameKey(candidate, key) || found;
  return found;
}

/** Browsers announce themselves as `Mozilla/5.0 …`; servers (Node, Deno, curl) do not. */
export function isBrowser(userAgent: string | undefined): boolean {
  return /^mozilla\//i.test(userAgent ?? '');
}

/**
 * The role a new-style key grants, or a refusal: unknown keys are `INVALID_API_KEY`, a secret
 * key from a browser `SECRET_KEY_IN_BROWSER`.
 */
export function opaqueKeyIdentity(key: string, keys: ApiKeyRing, userAgent?: string): RequestIdentity {
  if (key.startsWith(PUBLISHABLE_PREFIX) && listed(key, keys.publishable)) return { role: 'anon', claims: { role: 'anon' }, token: key };
  if (key.startsWith(SECRET_PREFIX) && listed(key, keys.secret)) {
    if (isBrowser(userAgent)) throw new AuthFailure('SECRET_KEY_IN_BROWSER', 'Forbidden use of secret API key in browser');
    return { role: 'service_role', claims: { role: 'service_role' }, token: key };
  }
  throw new AuthFailure('INVALID_API_KEY', 'Invalid API key');
}

/** Verifies a JWT and returns the identity it grants (an opaque key is not a JWT: PGRST301). */
export async function identityFromToken(token: string, secret: Uint8Array): Promise<RequestIdentity> {
  try {
    const claims = await verifyJwt(token, secret);
    const role = typeof claims.role === 'string' && claims.role !== '' ? claims.role : 'anon';
    return { role, claims: { ...claims, role }, token };
  } catch (error) {
    if (error instanceof JwtError) {
      throw new AuthFailure(error.kind === 'expired' ? 'PGRST303' : 'PGRST301', error.message);
    }
    throw error;
  }
}

/** Roles an API key may carry: the gateway knows only the anon and service_role keys. */
const API_KEY_ROLES = new Set(['anon', 'service_role']);

/**
 * Verifies an API key: one of the checkout's new-style keys, or a project JWT whose role is anon
 * or service_role. A user's access token is a valid JWT but not an API key, so it is refused.
 */
export async function apiKeyIdentity(key: string, secret: Uint8Array, keys: ApiKeyRing, userAgent?: string): Promise<RequestIdentity> {
  if (isOpaqueKey(key)) return opaqueKeyIdentity(key, keys, userAgent);
  const identity = await identityFromToken(key, secret);
  if (!API_KEY_ROLES.has(identity.role)) throw new AuthFailure('PGRST301', 'Invalid API key');
  return identity;
}

/** The API key of a request (header `apikey`, else query `apikey`), as the gateway reads it. */
export function apiKeyOf(headers: IncomingHttpHeaders, query?: URLSearchParams): string | undefined {
  const header = headers.apikey;
  const value = Array.isArray(header) ? header[0] : header;
  return value || query?.get('apikey') || undefined;
}

/**
 * The identity of a REST/RPC request: the bearer token when present, else the API key, else anon.
 * The gateway requires a valid API key; an invalid one is refused like an invalid JWT. A bearer
 * that is an opaque key counts only when it equals the API key (supabase-js sends both);
 * otherwise it reaches PostgREST as a token and is refused for not being a JWT, as on hosted.
 */
export async function identityOfRequest(headers: IncomingHttpHeaders, secret: Uint8Array, keys: ApiKeyRing, query?: URLSearchParams): Promise<RequestIdentity> {
  const apiKey = apiKeyOf(headers, query);
  if (!apiKey) throw new AuthFailure('NO_API_KEY', 'No API key found in request');
  const keyIdentity = await apiKeyIdentity(apiKey, secret, keys, headers['user-agent']);
  const bearer = bearerToken(headers.authorization);
  if (!bearer || (isOpaqueKey(bearer) && bearer === apiKey)) return keyIdentity;
  return identityFromToken(bearer, secret);
}
