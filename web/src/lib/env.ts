// Reads the Supabase connection settings the build was given. Missing values are reported by
// name so the missing-config screen can say exactly what to set.
export interface SupabaseSettings {
  url: string;
  anonKey: string;
}

export type SettingsResult =
  | { ok: true; settings: SupabaseSettings }
  | { ok: false; missing: string[] };

export function readSupabaseSettings(env: Record<string, string | boolean | undefined>): SettingsResult {
  const url = typeof env.VITE_SUPABASE_URL === 'string' ? env.VITE_SUPABASE_URL.trim() : '';
  const anonKey = typeof env.VITE_SUPABASE_ANON_KEY === 'string' ? env.VITE_SUPABASE_ANON_KEY.trim() : '';
  const missing: string[] = [];
  if (!url) missing.push('VITE_SUPABASE_URL');
  if (!anonKey) missing.push('VITE_SUPABASE_ANON_KEY');
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, settings: { url, anonKey } };
}
