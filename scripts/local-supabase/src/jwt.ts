// HS256 JWTs of the local stack: verifying what clients send (PostgREST/GoTrue/Realtime rules)
// and signing GoTrue access tokens. Only HS256 is accepted, so `alg: none` and key-confusion
// tricks fail closed.
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';

export type Claims = JWTPayload & Record<string, unknown>;

export class JwtError extends Error {
  constructor(readonly kind: 'invalid' | 'expired', message: string) {
    super(message);
  }
}

/** PostgREST allows 30 s of clock skew on exp/nbf/iat. */
const CLOCK_SKEW_SECONDS = 30;

export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function verifyJwt(token: string, secret: Uint8Array): Promise<Claims> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('invalid', `Expected 3 parts in JWT; got ${parts.length}`);
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], clockTolerance: CLOCK_SKEW_SECONDS });
    return payload as Claims;
  } catch (error) {
    // JWTExpired is a subclass of JWTClaimValidationFailed: only it means "expired"; a token not
    // yet valid (nbf/iat in the future) or with a malformed claim is just invalid (PGRST301).
    if (error instanceof joseErrors.JWTExpired) throw new JwtError('expired', 'JWT expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed) throw new JwtError('invalid', `JWT ${error.message}`);
    throw new JwtError('invalid', 'JWT cryptographic operation failed');
  }
}

export async function signJwt(claims: Claims, secret: Uint8Array): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
}

/** The bearer token of an Authorization header (scheme case-insensitive), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}
