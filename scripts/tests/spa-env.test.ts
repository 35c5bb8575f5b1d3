// `npm run build` targets a hosted project when both VITE_* variables are set, else the local stack.
import { describe, expect, it } from 'vitest';
import { spaBuildEnv } from '../lib/spa-env.ts';

const local = async () => ({ url: 'http://127.0.0.1:54321', anonKey: 'local-anon' });

describe('spaBuildEnv', () => {
  it('uses VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY when both are set', async () => {
    await expect(spaBuildEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: 'k' }, local))
      .resolves.toEqual({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: 'k', source: 'environment' });
  });

  it('falls back to the local stack when neither is set', async () => {
    await expect(spaBuildEnv({}, local))
      .resolves.toEqual({ VITE_SUPABASE_URL: 'http://127.0.0.1:54321', VITE_SUPABASE_ANON_KEY: 'local-anon', source: 'local stack' });
  });

  it('refuses only one of the two, naming the missing one', async () => {
    await expect(spaBuildEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co' }, local)).rejects.toThrow(/VITE_SUPABASE_ANON_KEY is not set/);
    await expect(spaBuildEnv({ VITE_SUPABASE_ANON_KEY: 'k' }, local)).rejects.toThrow(/VITE_SUPABASE_URL is not set/);
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(spaBuildEnv({ VITE_SUPABASE_URL: 'abc.supabase.co', VITE_SUPABASE_ANON_KEY: 'k' }, local)).rejects.toThrow(/http\(s\) URL/);
  });
});
