// Environment overrides for the functions' Deno tests: the functions read their settings from
// Deno.env on every request, so a test sets what it needs and restores the rest afterwards.

/** Runs `fn` with some variables set (a string) or removed (null), restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | null>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    saved.set(name, Deno.env.get(name));
    if (value === null) Deno.env.delete(name);
    else Deno.env.set(name, value);
  }
  try {
    return await fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}

/**
 * An environment that is complete but whose API is unreachable: any database call would fail
 * loudly. It has the new-style key lists only, as `npm test` gives the Deno layer.
 */
export const OFFLINE_ENV: Record<string, string | null> = {
  SUPABASE_URL: 'http://127.0.0.1:9',
  SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_offline"}',
  SUPABASE_SECRET_KEYS: '{"default":"sb_secret_offline"}',
  SUPABASE_ANON_KEY: null,
  SUPABASE_SERVICE_ROLE_KEY: null,
  STRIPE_WEBHOOK_SECRET: 'whsec_offline_test_secret',
  SITE_URL: 'http://127.0.0.1:5173',
  STRIPE_SECRET_KEY: null,
  STRIPE_API_BASE: null,
};
