// Reads the Supabase connection settings the build was given. The key is the project's
// publishable key (VITE_SUPABASE_PUBLISHABLE_KEY, `sb_publishable_…`) or, for projects still on
// the legacy keys, the anon JWT (VITE_SUPABASE_ANON_KEY); the publishable key wins when both are
// set. Missing values are reported by name so the missing-config screen can say what to set.
export interface SupabaseSettings {
  url: string;
  /** The publishable key or the legacy anon key: both mean role `anon` until someone signs in. */
  publishableKey: string;
}

export type SettingsResult =
  | { ok: true; settings: SupabaseSettings }
  | { ok: false; missing: string[] };

type BuildEnv = Record<string, string | boolean | undefined>;

function text(env: BuildEnv, name: string): string {
  const value = env[name];
  return typeof value === 'string' ? value.trim() : '';
}

export function readSupabaseSettings(env: BuildEnv): SettingsResult {
  const url = text(env, 'VITE_SUPABASE_URL');
  const publishableKey = text(env, 'VITE_SUPABASE_PUBLISHABLE_KEY') || text(env, 'VITE_SUPABASE_ANON_KEY');
  const missing: string[] = [];
  if (!url) missing.push('VITE_SUPABASE_URL');
  if (!publishableKey) missing.push('VITE_SUPABASE_PUBLISHABLE_KEY (or the legacy VITE_SUPABASE_ANON_KEY)');
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, settings: { url, publishableKey } };
}
