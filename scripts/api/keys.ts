// Which database role a request runs as, decided from its API key and bearer token the way
// Supabase's gateway + PostgREST do: new-style publishable keys and the anon JWT mean `anon`,
// the service JWT means `service_role`, a user JWT means its own `role` claim.
import type { IncomingHttpHeaders } from 'node:http';
import { bearerToken, JwtError, verifyJwt, type Claims } from './jwt.ts';

export const PUBLISHABLE_PREFIX = 'sb_publishable_';

export interface RequestIdentity {
  role: string;
  claims: Claims;
  /** The raw token the role came from (for forwarding), if any. */
  token?: string;
}

export class AuthFailure extends Error {
  constructor(readonly code: 'PGRST301' | 'PGRST303' | 'NO_API_KEY', message: string) {
    super(message);
  }
}

/** Verifies a token (JWT or sb_publishable_ key) and returns the identity it grants. */
export async function identityFromToken(token: string, secret: Uint8Array): Promise<RequestIdentity> {
  if (token.startsWith(PUBLISHABLE_PREFIX)) return { role: 'anon', claims: { role: 'anon' }, token };
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
 * Verifies an API key: an sb_publishable_ key, or a project JWT whose role is anon or
 * service_role. A user's access token is a valid JWT but not an API key, so it is refused.
 */
export async function apiKeyIdentity(key: string, secret: Uint8Array): Promise<RequestIdentity> {
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
 * The gateway requires a valid API key; an invalid one is refused like an invalid JWT.
 */
export async function identityOfRequest(headers: IncomingHttpHeaders, secret: Uint8Array, query?: URLSearchParams): Promise<RequestIdentity> {
  const apiKey = apiKeyOf(headers, query);
  if (!apiKey) throw new AuthFailure('NO_API_KEY', 'No API key found in request');
  const keyIdentity = await apiKeyIdentity(apiKey, secret);
  const bearer = bearerToken(headers.authorization);
  if (!bearer) return keyIdentity;
  return identityFromToken(bearer, secret);
}
