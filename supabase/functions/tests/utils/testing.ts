// Helpers for the functions' Deno tests (not deployed code): environment overrides, Stripe-signed
// requests, and users signed up on the running local stack (SUPABASE_URL, set by the test runner).
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { apiKey, apiKeyVariables } from '../../_shared/api-keys.ts';
import { signStripePayload } from '../../_shared/local-events.ts';

/** Runs `fn` with some variables set (a string) or removed (null), restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | null>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    saved.set(name, Deno.env.get(name));
    if (value === null) Deno.env.delete(name);
    else Deno.env.set(name, value);
  }
  try {
    return await fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}

/**
 * An environment that is complete but whose API is unreachable: any database call would fail
 * loudly. It has the new-style key lists only, as `npm test` gives the Deno layer.
 */
export const OFFLINE_ENV: Record<string, string | null> = {
  SUPABASE_URL: 'http://127.0.0.1:9',
  SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_offline"}',
  SUPABASE_SECRET_KEYS: '{"default":"sb_secret_offline"}',
  SUPABASE_ANON_KEY: null,
  SUPABASE_SERVICE_ROLE_KEY: null,
  STRIPE_WEBHOOK_SECRET: 'whsec_offline_test_secret',
  SITE_URL: 'http://127.0.0.1:5173',
  STRIPE_SECRET_KEY: null,
  STRIPE_API_BASE: null,
};

export async function signedWebhookRequest(
  event: unknown,
  secret: string,
  options: { timestamp?: number; tamper?: (body: string) => string } = {},
): Promise<Request> {
  const body = JSON.stringify(event);
  const signature = await signStripePayload(body, secret, options.timestamp);
  return new Request('http://localhost/functions/v1/stripe-webhook', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
    body: options.tamper ? options.tamper(body) : body,
  });
}

export function stripeEvent(type: string, object: Record<string, unknown>, id = `evt_test_${crypto.randomUUID().replaceAll('-', '')}`) {
  return { id, object: 'event', api_version: '2025-01-27.acacia', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object } };
}

export async function readError(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = await response.json() as { error?: { code?: string; message?: string } };
  return { status: response.status, code: body.error?.code ?? '', message: body.error?.message ?? '' };
}

export interface StackEnv {
  url: string;
  anonKey: string;
  serviceKey: string;
  webhookSecret: string;
  siteUrl: string;
}

/** The running stack as the test runner describes it; a missing variable fails the test, no skip. */
export function stackEnv(): StackEnv {
  const need = (name: string): string => {
    const value = Deno.env.get(name);
    if (!value) throw new Error(`${name} is not set: run these tests through \`npm test\` (or export the stack's env, see supabase/README.md)`);
    return value;
  };
  return {
    url: need('SUPABASE_URL'),
    anonKey: apiKey('publishable') ?? need(apiKeyVariables('publishable')),
    serviceKey: apiKey('secret') ?? need(apiKeyVariables('secret')),
    webhookSecret: need('STRIPE_WEBHOOK_SECRET'),
    siteUrl: need('SITE_URL'),
  };
}

/**
 * The stack's legacy keys only (no new-style lists), for the tests that check the functions run
 * on SUPABASE_ANON_KEY / SUPABASE_SERVICE_ROLE_KEY alone. `npm test` passes them to the Deno layer
 * as TEST_LEGACY_ANON_KEY / TEST_LEGACY_SERVICE_ROLE_KEY, so every other test sees new-style keys.
 */
export function legacyKeysOnly(): Record<string, string | null> {
  const anon = Deno.env.get('TEST_LEGACY_ANON_KEY');
  const service = Deno.env.get('TEST_LEGACY_SERVICE_ROLE_KEY');
  if (!anon || !service) throw new Error('TEST_LEGACY_ANON_KEY / TEST_LEGACY_SERVICE_ROLE_KEY are not set: run these tests through `npm test`');
  return { SUPABASE_PUBLISHABLE_KEYS: null, SUPABASE_SECRET_KEYS: null, SUPABASE_ANON_KEY: anon, SUPABASE_SERVICE_ROLE_KEY: service };
}

const noSession = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

export function stackServiceClient(env: StackEnv): SupabaseClient {
  return createClient(env.url, env.serviceKey, noSession);
}

/** The access token a confirmation link opens: its newest mail in the local inbox, followed without redirecting. */
async function confirmThroughInbox(env: StackEnv, email: string): Promise<string> {
  const inbox = await fetch(`${env.url}/inbox/api/messages?to=${encodeURIComponent(email)}`);
  const { messages } = (await inbox.json()) as { messages: { links: string[] }[] };
  const link = messages[0]?.links[0];
  if (!link) throw new Error(`no confirmation mail to ${email} in the local inbox`);
  const followed = await fetch(link, { redirect: 'manual' });
  await followed.body?.cancel();
  const token = new URLSearchParams(new URL(followed.headers.get('location') ?? 'about:blank').hash.slice(1)).get('access_token');
  if (!token) throw new Error(`confirming ${email} failed: ${followed.headers.get('location')}`);
  return token;
}

/** A fresh recruiter on the stack, address confirmed through the mailed link: their id and access token. */
export async function signUpUser(env: StackEnv): Promise<{ id: string; token: string; email: string }> {
  const client = createClient(env.url, env.anonKey, noSession);
  const email = `fn-${crypto.randomUUID()}@example.test`;
  const { data, error } = await client.auth.signUp({ email, password: 'password-123456' });
  if (error || !data.user) throw new Error(`sign-up failed: ${error?.message ?? 'no user'}`);
  const token = data.session?.access_token ?? await confirmThroughInbox(env, email);
  return { id: data.user.id, token, email };
}

export async function balanceOf(env: StackEnv, userId: string): Promise<number> {
  const { data, error } = await stackServiceClient(env).from('users').select('credits').eq('id', userId).single();
  if (error) throw new Error(`reading the balance failed: ${error.message}`);
  return (data as { credits: number }).credits;
}

export function jsonPost(url: string, body: unknown, token?: string, method = 'POST'): Request {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return new Request(url, { method, headers, body: method === 'GET' ? undefined : JSON.stringify(body) });
}
