// The identity a realtime channel acts as, from the token of its join (or the socket's apikey):
// like Realtime, a JWT must verify and carry `role` and `exp`; the checkout's new-style keys mean
// their role (supabase-js joins with the publishable key when nobody is signed in), any other
// `sb_…` string is refused.
import { JwtError, verifyJwt } from '../jwt.ts';
import { AuthFailure, isOpaqueKey, opaqueKeyIdentity, type ApiKeyRing } from '../keys.ts';
import type { ChannelIdentity } from './channel.ts';

export class TokenRejected extends Error {}

export async function channelIdentity(token: string, secret: Uint8Array, keys: ApiKeyRing): Promise<ChannelIdentity> {
  if (isOpaqueKey(token)) {
    try {
      const { role, claims } = opaqueKeyIdentity(token, keys);
      return { role, claims, token };
    } catch (error) {
      throw error instanceof AuthFailure ? new TokenRejected(error.message) : error;
    }
  }
  try {
    const claims = await verifyJwt(token, secret);
    if (typeof claims.role !== 'string' || typeof claims.exp !== 'number') {
      throw new TokenRejected('Fields `role` and `exp` are required in JWT');
    }
    return { role: claims.role, claims, token };
  } catch (error) {
    if (error instanceof TokenRejected) throw error;
    if (error instanceof JwtError && error.kind === 'expired') throw new TokenRejected('Token has expired');
    throw new TokenRejected(error instanceof JwtError && error.message.startsWith('Expected') ? 'The token provided is not a valid JWT' : 'Failed to validate JWT signature');
  }
}

/** Seconds since the identity's token expired, or undefined while it is valid. */
export function expiredSecondsAgo(identity: ChannelIdentity): number | undefined {
  const exp = identity.claims.exp;
  if (typeof exp !== 'number') return undefined;
  const now = Math.floor(Date.now() / 1000);
  return exp < now ? now - exp : undefined;
}
