// New-style Supabase API keys (`sb_publishable_…`, `sb_secret_…`) as the hosted platform and
// self-hosted Supabase mint them: prefix + 22 random base64url characters + `_` + an 8-character
// checksum, the first 8 base64url characters of sha256("<project ref>|<prefix><random>").
// Source: supabase/supabase docker/utils/rotate-new-api-keys.sh (generateOpaqueKey). They are
// opaque strings, not JWTs: the gateway knows them only by exact match.
import crypto from 'node:crypto';

export const PUBLISHABLE_PREFIX = 'sb_publishable_';
export const SECRET_PREFIX = 'sb_secret_';

/** The project ref the local stack's keys are checksummed with (hosted: the project's ref). */
export const LOCAL_PROJECT_REF = 'local';

export function newOpaqueKey(prefix: typeof PUBLISHABLE_PREFIX | typeof SECRET_PREFIX, projectRef = LOCAL_PROJECT_REF): string {
  const intermediate = prefix + crypto.randomBytes(17).toString('base64url').slice(0, 22);
  const checksum = crypto.createHash('sha256').update(`${projectRef}|${intermediate}`).digest('base64url').slice(0, 8);
  return `${intermediate}_${checksum}`;
}

/** Whether a key has the shape and checksum of one minted for `projectRef`. */
export function hasValidChecksum(key: string, projectRef = LOCAL_PROJECT_REF): boolean {
  const match = /^(sb_(?:publishable|secret)_[A-Za-z0-9_-]{22})_([A-Za-z0-9_-]{8})$/.exec(key);
  if (!match) return false;
  return crypto.createHash('sha256').update(`${projectRef}|${match[1]}`).digest('base64url').slice(0, 8) === match[2];
}
