import { describe, expect, it } from 'vitest';
import { readSupabaseSettings } from './env.ts';

describe('readSupabaseSettings', () => {
  it('returns the URL and key when both are set', () => {
    expect(readSupabaseSettings({ VITE_SUPABASE_URL: 'http://127.0.0.1:54321', VITE_SUPABASE_ANON_KEY: 'k' }))
      .toEqual({ ok: true, settings: { url: 'http://127.0.0.1:54321', anonKey: 'k' } });
  });

  it('names every missing variable', () => {
    expect(readSupabaseSettings({ VITE_SUPABASE_URL: ' ' })).toEqual({ ok: false, missing: ['VITE_SUPABASE_URL', 'VITE_SUPABASE_ANON_KEY'] });
  });
});
