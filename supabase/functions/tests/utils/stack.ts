// The running local stack as the functions' Deno tests use it (SUPABASE_URL, set by the test
// runner): its keys, fresh users signed up through Auth, balances read back from Postgres.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { apiKey, apiKeyVariables } from '../../_shared/api-keys.ts';

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

/** The user's credit lots in spend order of creation, with the plan-bought ones naming their payment. */
export async function lotsOf(env: StackEnv, userId: string): Promise<{ source: string; amount: number; remaining: number; voided: number; expires_at: string | null; has_payment: boolean }[]> {
  const { data, error } = await stackServiceClient(env).from('credit_lots')
    .select('source, amount, remaining, voided, expires_at, payment_id').eq('user_id', userId).order('id');
  if (error) throw new Error(`reading the lots failed: ${error.message}`);
  return (data as { source: string; amount: number; remaining: number; voided: number; expires_at: string | null; payment_id: string | null }[])
    .map(({ payment_id, ...lot }) => ({ ...lot, has_payment: payment_id !== null }));
}
