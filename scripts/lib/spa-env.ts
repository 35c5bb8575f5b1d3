// Which Supabase project a production build of the SPA talks to. VITE_SUPABASE_URL with
// VITE_SUPABASE_PUBLISHABLE_KEY (or the legacy VITE_SUPABASE_ANON_KEY) from the environment win
// (a hosted deploy); without them the build targets the local stack with its publishable key.
// Setting only one of URL and key is a mistake, not a half-local bundle; a secret or service-role
// key would ship to every browser, so it is refused before Vite runs.
export type SpaKeyVar = 'VITE_SUPABASE_PUBLISHABLE_KEY' | 'VITE_SUPABASE_ANON_KEY';
export interface SpaEnv { VITE_SUPABASE_URL: string; keyVar: SpaKeyVar; key: string; source: 'environment' | 'local stack' }

function jwtRole(key: string): string | undefined {
  const payload = key.split('.')[1];
  if (!payload) return undefined;
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { role?: string }).role;
  } catch {
    return undefined;
  }
}

/** The bundle is public: only a browser key may go into it. */
export function refuseServerKey(keyVar: string, key: string): void {
  if (key.startsWith('sb_secret_') || jwtRole(key) === 'service_role') {
    throw new Error(`${keyVar} holds a secret (service-role) key, which would ship to every browser: use the publishable (or anon) key`);
  }
}

export async function spaBuildEnv(env: NodeJS.ProcessEnv, local: () => Promise<{ url: string; publishableKey: string }>): Promise<SpaEnv> {
  const url = env.VITE_SUPABASE_URL?.trim();
  const publishable = env.VITE_SUPABASE_PUBLISHABLE_KEY?.trim();
  const anon = env.VITE_SUPABASE_ANON_KEY?.trim();
  const keyVar: SpaKeyVar = publishable ? 'VITE_SUPABASE_PUBLISHABLE_KEY' : 'VITE_SUPABASE_ANON_KEY';
  const key = publishable || anon;
  if (url && key) {
    if (!/^https?:\/\/[^\s/]+/.test(url)) throw new Error(`VITE_SUPABASE_URL must be an http(s) URL, got "${url}"`);
    refuseServerKey(keyVar, key);
    return { VITE_SUPABASE_URL: url, keyVar, key, source: 'environment' };
  }
  if (url || key) {
    const missing = url ? 'VITE_SUPABASE_PUBLISHABLE_KEY (or the legacy VITE_SUPABASE_ANON_KEY)' : 'VITE_SUPABASE_URL';
    throw new Error(`${missing} is not set: set VITE_SUPABASE_URL and VITE_SUPABASE_PUBLISHABLE_KEY (hosted project), or neither (local stack)`);
  }
  const stack = await local();
  return { VITE_SUPABASE_URL: stack.url, keyVar: 'VITE_SUPABASE_PUBLISHABLE_KEY', key: stack.publishableKey, source: 'local stack' };
}

/** The variables Vite sees: exactly one key variable, so a stale one in the shell cannot win. */
export function viteEnv(target: SpaEnv): Record<string, string> {
  return { VITE_SUPABASE_URL: target.VITE_SUPABASE_URL, VITE_SUPABASE_PUBLISHABLE_KEY: '', VITE_SUPABASE_ANON_KEY: '', [target.keyVar]: target.key };
}
