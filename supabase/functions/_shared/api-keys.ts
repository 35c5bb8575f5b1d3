// The project's API keys as a function receives them. Hosted projects (and `supabase start`)
// give the new-style keys as JSON objects of key name to key,
//   SUPABASE_PUBLISHABLE_KEYS={"default":"sb_publishable_…"}  SUPABASE_SECRET_KEYS={"default":"sb_secret_…"}
// beside the legacy JWTs SUPABASE_ANON_KEY / SUPABASE_SERVICE_ROLE_KEY. The `default` new-style
// key wins: a project that disabled its legacy keys still passes the stale legacy values, which
// the gateway then refuses ("Legacy API keys are disabled"). Either style alone is enough.
import { HttpError } from './errors.ts';

export type ApiKeyKind = 'publishable' | 'secret';

const SOURCES: Record<ApiKeyKind, { list: string; legacy: string }> = {
  publishable: { list: 'SUPABASE_PUBLISHABLE_KEYS', legacy: 'SUPABASE_ANON_KEY' },
  secret: { list: 'SUPABASE_SECRET_KEYS', legacy: 'SUPABASE_SERVICE_ROLE_KEY' },
};

/** How a missing key is named in `missing_env` errors, e.g. `SUPABASE_SECRET_KEYS (or SUPABASE_SERVICE_ROLE_KEY)`. */
export function apiKeyVariables(kind: ApiKeyKind): string {
  return `${SOURCES[kind].list} (or ${SOURCES[kind].legacy})`;
}

/** A key list variable's entries; a value that is not a JSON object of strings is a configuration error. */
export function parseKeyList(name: string, raw: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)
    || !Object.values(parsed).every((value) => typeof value === 'string' && value !== '')) {
    throw new HttpError(500, 'missing_env', `${name} must be a JSON object of key names to keys, like {"default":"sb_…"}.`);
  }
  return parsed as Record<string, string>;
}

/** The `default` key of the new-style list, else the legacy key, else undefined. */
export function apiKey(kind: ApiKeyKind, env: (name: string) => string | undefined = (name) => Deno.env.get(name)): string | undefined {
  const { list, legacy } = SOURCES[kind];
  const raw = env(list);
  if (raw) {
    const key = parseKeyList(list, raw).default;
    if (key) return key;
  }
  return env(legacy) || undefined;
}
