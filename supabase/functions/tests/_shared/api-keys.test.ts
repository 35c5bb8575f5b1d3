// Which API keys a function uses: the `default` entry of hosted's JSON key lists, else the legacy
// JWT variables; a malformed list is a configuration error, never a silent fallback.
import assert from 'node:assert/strict';
import { apiKey, parseKeyList } from '../../_shared/api-keys.ts';
import { requireEnv } from '../../_shared/env.ts';
import { HttpError } from '../../_shared/errors.ts';
import { withEnv } from '../utils/env.ts';

const envOf = (vars: Record<string, string>) => (name: string): string | undefined => vars[name];

Deno.test('the new-style lists are JSON objects of key name to key; `default` is used', () => {
  const env = envOf({
    SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_abc","mobile":"sb_publishable_def"}',
    SUPABASE_SECRET_KEYS: '{"default":"sb_secret_abc"}',
  });
  assert.equal(apiKey('publishable', env), 'sb_publishable_abc');
  assert.equal(apiKey('secret', env), 'sb_secret_abc');
});

Deno.test('legacy keys alone are enough', () => {
  const env = envOf({ SUPABASE_ANON_KEY: 'eyJ.anon.jwt', SUPABASE_SERVICE_ROLE_KEY: 'eyJ.service.jwt' });
  assert.equal(apiKey('publishable', env), 'eyJ.anon.jwt');
  assert.equal(apiKey('secret', env), 'eyJ.service.jwt');
});

Deno.test('with both styles the new-style default wins (legacy keys may be disabled on the project)', () => {
  const env = envOf({ SUPABASE_SECRET_KEYS: '{"default":"sb_secret_abc"}', SUPABASE_SERVICE_ROLE_KEY: 'eyJ.service.jwt' });
  assert.equal(apiKey('secret', env), 'sb_secret_abc');
});

Deno.test('a list without `default` falls back to the legacy key; with neither the key is missing', () => {
  assert.equal(apiKey('secret', envOf({ SUPABASE_SECRET_KEYS: '{"ci":"sb_secret_ci"}', SUPABASE_SERVICE_ROLE_KEY: 'eyJ.jwt' })), 'eyJ.jwt');
  assert.equal(apiKey('secret', envOf({ SUPABASE_SECRET_KEYS: '{}' })), undefined);
  assert.equal(apiKey('publishable', envOf({})), undefined);
});

Deno.test('a malformed list is a 500 missing_env naming the variable', () => {
  for (const raw of ['sb_secret_abc', '["sb_secret_abc"]', '{"default":42}', '{"default":""}', 'null']) {
    assert.throws(() => parseKeyList('SUPABASE_SECRET_KEYS', raw), (error: unknown) =>
      error instanceof HttpError && error.status === 500 && error.code === 'missing_env' && /SUPABASE_SECRET_KEYS must be a JSON object/.test(error.message), raw);
  }
});

Deno.test('requireEnv resolves the keys from either style and names both variables when neither is set', () =>
  withEnv({ SUPABASE_PUBLISHABLE_KEYS: null, SUPABASE_ANON_KEY: 'eyJ.anon.jwt', SUPABASE_SECRET_KEYS: '{"default":"sb_secret_x"}', SUPABASE_SERVICE_ROLE_KEY: null }, async () => {
    assert.deepEqual(requireEnv(['SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_SECRET_KEY']), { SUPABASE_PUBLISHABLE_KEY: 'eyJ.anon.jwt', SUPABASE_SECRET_KEY: 'sb_secret_x' });
    await withEnv({ SUPABASE_SECRET_KEYS: null }, async () => {
      assert.throws(() => requireEnv(['SUPABASE_SECRET_KEY']), /Missing environment variable: SUPABASE_SECRET_KEYS \(or SUPABASE_SERVICE_ROLE_KEY\)\./);
    });
  }));
