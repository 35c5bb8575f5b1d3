import { describe, expect, it } from 'vitest';
import { readSupabaseSettings } from './env.ts';

describe('readSupabaseSettings', () => {
  it('takes the publishable key (new-style)', () => {
    expect(readSupabaseSettings({ VITE_SUPABASE_URL: 'http://127.0.0.1:54321', VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_k' }))
      .toEqual({ ok: true, settings: { url: 'http://127.0.0.1:54321', publishableKey: 'sb_publishable_k' } });
  });

  it('takes the legacy anon key when no publishable key is set', () => {
    expect(readSupabaseSettings({ VITE_SUPABASE_URL: 'http://127.0.0.1:54321', VITE_SUPABASE_ANON_KEY: 'eyJ.anon', VITE_SUPABASE_PUBLISHABLE_KEY: ' ' }))
      .toEqual({ ok: true, settings: { url: 'http://127.0.0.1:54321', publishableKey: 'eyJ.anon' } });
  });

  it('prefers the publishable key when both are set', () => {
    const result = readSupabaseSettings({ VITE_SUPABASE_URL: 'http://x', VITE_SUPABASE_ANON_KEY: 'eyJ.anon', VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_k' });
    expect(result.ok && result.settings.publishableKey).toBe('sb_publishable_k');
  });

  it('names every missing variable', () => {
    expect(readSupabaseSettings({ VITE_SUPABASE_URL: ' ' }))
      .toEqual({ ok: false, missing: ['VITE_SUPABASE_URL', 'VITE_SUPABASE_PUBLISHABLE_KEY (or the legacy VITE_SUPABASE_ANON_KEY)'] });
  });
});
