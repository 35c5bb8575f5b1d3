// @vitest-environment jsdom -- supabase-js keeps its session in localStorage, as in the browser
import { describe, expect, it } from 'vitest';
import { FunctionsFetchError, FunctionsHttpError, FunctionsRelayError } from '@supabase/supabase-js';
import { toAppError, toAppErrorFromFunction } from './appError.ts';
import { createClient } from '@supabase/supabase-js';
import { API_URL, newClient, closedUrl, loadStackEnv, signHs256 } from '../../test/stack.ts';

describe('toAppError', () => {
  it('names the cause of a refused e-mail or a NUL character instead of "check the highlighted fields"', () => {
    expect(toAppError({ code: 'validation_failed', message: 'Unable to validate email address: invalid format' }, 400).code).toBe('email_invalid');
    expect(toAppError({ code: 'email_address_invalid', message: 'Email address is invalid' }, 400).code).toBe('email_invalid');
    const nul = toAppError({ code: '22P05', message: 'unsupported Unicode escape sequence', details: '\\u0000 cannot be converted to text.' }, 400);
    expect(nul.code).toBe('unsupported_character');
    expect(toAppError({ code: '22023', message: 'invalid_duration_minutes' }, 400).message).not.toMatch(/highlighted/);
  });

  it('maps the credit API error contract to plain words', () => {
    const insufficient = toAppError({ code: 'PT402', message: 'insufficient_credits', details: '{"balance":1,"required":3}' }, 402);
    expect(insufficient).toMatchObject({ code: 'insufficient_credits', balance: 1, required: 3, action: 'billing' });
    expect(insufficient.title).toBe('Not enough credits');
    expect(toAppError({ code: 'PT409', message: 'interview_not_cancellable' }, 409).code).toBe('interview_not_cancellable');
    expect(toAppError({ code: 'PT409', message: 'interview_in_progress' }, 409).code).toBe('interview_in_progress');
    expect(toAppError({ code: 'PT409', message: 'idempotency_key_reused' }, 409).code).toBe('conflict');
    expect(toAppError({ code: '22023', message: 'unknown_plan' }, 400).code).toBe('unknown_plan');
    expect(toAppError({ code: '22023', message: 'invalid_duration_minutes' }, 400).code).toBe('invalid_input');
    expect(toAppError({ code: '42501', message: 'not_signed_in' }, 401).code).toBe('session_expired');
    expect(toAppError({ code: '42501', message: 'not_allowed' }, 403).code).toBe('not_allowed');
    expect(toAppError({ code: 'XX000', message: 'boom' }, 500).code).toBe('server');
    expect(toAppError({ code: 'invalid_credentials', message: 'Invalid login credentials', status: 400 }).code).toBe('invalid_credentials');
  });

  it('never passes a raw server message through', () => {
    const mapped = toAppError({ code: 'XX000', message: 'relation "secret_table" does not exist' }, 500);
    expect(JSON.stringify(mapped)).not.toMatch(/secret_table/);
  });

  it('reports a closed port as the network being down (real supabase-js request)', async () => {
    const client = await newClient(await closedUrl());
    const { error, status } = await client.rpc('interview_cost', { duration_minutes: 30 });
    expect(error).not.toBeNull();
    expect(toAppError(error, status).code).toBe('network');
    const fn = await client.functions.invoke('checkout', { body: { plan_id: 'pack_5' } });
    expect(fn.error).toBeInstanceOf(FunctionsFetchError);
    // A payment function out of reach: the payment service is unavailable, nothing was charged.
    expect((await toAppErrorFromFunction(fn.error)).code).toBe('payment_unavailable');
    const auth = await client.auth.signInWithPassword({ email: 'a@example.test', password: 'whatever' });
    expect(toAppError(auth.error).code).toBe('network');
  });
});

describe('toAppError with the real server', () => {
  it('reports an expired access token as an expired session', async () => {
    const env = await loadStackEnv();
    const now = Math.floor(Date.now() / 1000);
    const expired = signHs256({
      role: 'authenticated', sub: crypto.randomUUID(), aud: 'authenticated', iat: now - 7200, exp: now - 3600,
    }, env.JWT_SECRET);
    const client = createClient(API_URL, env.ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { headers: { Authorization: `Bearer ${expired}` } },
    });
    const { error, status } = await client.rpc('billing_summary');
    expect(status).toBe(401);
    const mapped = toAppError(error, status);
    expect(mapped.code).toBe('session_expired');
    expect(mapped.action).toBe('sign_in');
  });

  it('reports a signed-out spend as an expired session, not a crash', async () => {
    const client = await newClient();
    const { error, status } = await client.rpc('deduct_credits', { amount: 1 });
    expect(toAppError(error, status).code).toBe('session_expired');
  });
});

describe('toAppErrorFromFunction', () => {
  it('reads the { error: { code } } body of an Edge Function', async () => {
    const response = (code: string, status: number) =>
      new FunctionsHttpError(new Response(JSON.stringify({ error: { code, message: 'x' } }), { status, headers: { 'Content-Type': 'application/json' } }));
    expect((await toAppErrorFromFunction(response('unknown_plan', 400))).code).toBe('unknown_plan');
    expect((await toAppErrorFromFunction(response('unauthorized', 401))).code).toBe('session_expired');
    expect((await toAppErrorFromFunction(response('internal_error', 500))).code).toBe('payment_unavailable');
    const html = new FunctionsHttpError(new Response('<html>bad gateway</html>', { status: 502 }));
    expect((await toAppErrorFromFunction(html)).code).toBe('payment_unavailable');
  });

  it('a function that fails, whatever the way, is "the payment service is unavailable, nothing was charged"', async () => {
    const runtime = (code: string, status: number) =>
      new FunctionsHttpError(new Response(JSON.stringify({ code, message: 'Worker failed to boot (please check logs)' }), { status }));
    const failures = [
      runtime('BOOT_ERROR', 503), runtime('WORKER_ERROR', 500),
      new FunctionsRelayError(new Response('{"code":"RELAY_ERROR"}', { status: 502, headers: { 'x-relay-error': 'true' } })),
      new FunctionsFetchError(new TypeError('Failed to fetch')),
      new FunctionsHttpError(new Response(JSON.stringify({ error: { code: 'provider_error', message: 'Stripe said no' } }), { status: 502 })),
    ];
    for (const failure of failures) {
      const mapped = await toAppErrorFromFunction(failure);
      expect(mapped.code).toBe('payment_unavailable');
      expect(mapped.title).toBe('The payment service is unavailable');
      expect(mapped.message).toMatch(/^Nothing was charged\./);
      expect(`${mapped.title} ${mapped.message}`).not.toMatch(/internet|can't reach/i);
    }
  });
});
