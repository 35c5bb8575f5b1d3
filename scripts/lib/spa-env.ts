// Which Supabase project a production build of the SPA talks to. VITE_SUPABASE_URL and
// VITE_SUPABASE_ANON_KEY from the environment win (a hosted deploy); without them the build
// targets the local stack. Setting only one of the two is a mistake, not a half-local bundle.
export interface SpaEnv { VITE_SUPABASE_URL: string; VITE_SUPABASE_ANON_KEY: string; source: 'environment' | 'local stack' }

export function spaBuildEnv(env: NodeJS.ProcessEnv, local: () => Promise<{ url: string; anonKey: string }>): Promise<SpaEnv> {
  const url = env.VITE_SUPABASE_URL?.trim();
  const anonKey = env.VITE_SUPABASE_ANON_KEY?.trim();
  if (url && anonKey) {
    if (!/^https?:\/\/[^\s/]+/.test(url)) {
      return Promise.reject(new Error(`VITE_SUPABASE_URL must be an http(s) URL, got "${url}"`));
    }
    return Promise.resolve({ VITE_SUPABASE_URL: url, VITE_SUPABASE_ANON_KEY: anonKey, source: 'environment' });
  }
  if (url || anonKey) {
    const missing = url ? 'VITE_SUPABASE_ANON_KEY' : 'VITE_SUPABASE_URL';
    return Promise.reject(new Error(`${missing} is not set: set both VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY (hosted project), or neither (local stack)`));
  }
  return local().then(({ url: localUrl, anonKey: localKey }) =>
    ({ VITE_SUPABASE_URL: localUrl, VITE_SUPABASE_ANON_KEY: localKey, source: 'local stack' as const }));
}
