// `npm run build` targets a hosted project when a URL and a browser key are set, else the local stack.
import { describe, expect, it } from 'vitest';
import { spaBuildEnv, viteEnv } from '../lib/spa-env.ts';

const local = async () => ({ url: 'http://127.0.0.1:54321', publishableKey: 'sb_publishable_local' });
const jwt = (role: string) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ role })).toString('base64url')}.sig`;

describe('spaBuildEnv', () => {
  it('uses VITE_SUPABASE_URL and VITE_SUPABASE_PUBLISHABLE_KEY when both are set', async () => {
    const target = await spaBuildEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_k' }, local);
    expect(target).toEqual({ VITE_SUPABASE_URL: 'https://abc.supabase.co', keyVar: 'VITE_SUPABASE_PUBLISHABLE_KEY', key: 'sb_publishable_k', source: 'environment' });
    expect(viteEnv(target)).toEqual({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_k', VITE_SUPABASE_ANON_KEY: '' });
  });

  it('takes the legacy VITE_SUPABASE_ANON_KEY for projects still on JWT keys', async () => {
    const anon = jwt('anon');
    const target = await spaBuildEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: anon }, local);
    expect(viteEnv(target)).toEqual({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_PUBLISHABLE_KEY: '', VITE_SUPABASE_ANON_KEY: anon });
  });

  it('falls back to the local stack and its publishable key when neither is set', async () => {
    await expect(spaBuildEnv({}, local)).resolves.toEqual({ VITE_SUPABASE_URL: 'http://127.0.0.1:54321',
      keyVar: 'VITE_SUPABASE_PUBLISHABLE_KEY', key: 'sb_publishable_local', source: 'local stack' });
  });

  it('refuses only one of URL and key, naming the missing one', async () => {
    await expect(spaBuildEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co' }, local)).rejects.toThrow(/VITE_SUPABASE_PUBLISHABLE_KEY .* is not set/);
    await expect(spaBuildEnv({ VITE_SUPABASE_ANON_KEY: 'k' }, local)).rejects.toThrow(/VITE_SUPABASE_URL is not set/);
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(spaBuildEnv({ VITE_SUPABASE_URL: 'abc.supabase.co', VITE_SUPABASE_PUBLISHABLE_KEY: 'k' }, local)).rejects.toThrow(/http\(s\) URL/);
  });

  it('refuses a secret or service-role key, which would ship to every browser', async () => {
    await expect(spaBuildEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_secret_abc' }, local)).rejects.toThrow(/secret/);
    await expect(spaBuildEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: jwt('service_role') }, local)).rejects.toThrow(/secret/);
  });
});
