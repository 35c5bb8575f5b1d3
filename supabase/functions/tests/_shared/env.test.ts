// Which addresses count as the local stack: the local payment provider (free credits) runs only
// when both the site and the API are local.
import assert from 'node:assert/strict';
import { isLocalSupabaseUrl, localProviderRefusal } from '../../_shared/env.ts';

Deno.test('loopback and the supabase start gateway are local APIs', () => {
  for (const url of ['http://127.0.0.1:54321', 'http://localhost:54321', 'http://[::1]:54321', 'http://kong:8000', 'http://api.localhost']) {
    assert.equal(isLocalSupabaseUrl(url), true, url);
  }
});

Deno.test('a hosted project or any other host is not local', () => {
  for (const url of ['https://abcdefghijklmnop.supabase.co', 'https://api.example.com', 'http://10.0.0.5:54321', 'http://127.0.0.1.nip.io', 'not a url']) {
    assert.equal(isLocalSupabaseUrl(url), false, url);
  }
});

Deno.test('the local provider needs both SITE_URL and SUPABASE_URL local', () => {
  assert.equal(localProviderRefusal({ SITE_URL: 'http://127.0.0.1:5173', SUPABASE_URL: 'http://127.0.0.1:54321' }), null);
  assert.match(localProviderRefusal({ SITE_URL: 'http://127.0.0.1:5173', SUPABASE_URL: 'https://ref.supabase.co' }) ?? '', /SUPABASE_URL/);
  assert.match(localProviderRefusal({ SITE_URL: 'https://app.example.com', SUPABASE_URL: 'http://127.0.0.1:54321' }) ?? '', /SITE_URL/);
});
