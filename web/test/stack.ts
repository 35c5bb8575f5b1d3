// Test helpers for unit tests that talk to the real local stack: the API server at API_URL
// (default http://127.0.0.1:54321) with the keys from .local/stack.env. Nothing is faked: a
// closed port is a real network failure, a grant is a real service-role RPC.
// Tests under web/src reach scripts/ only through this file: the lint rule keeps web/src itself
// free of imports from scripts/.
import path from 'node:path';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Session } from '@supabase/supabase-js';
import { API_URL, signUpWith, stackEnv } from '../../test-support/stack.ts';
import { loadStackEnv } from '../../scripts/lib/stack-env.ts';
import { startService, TSX, type Service } from '../../scripts/lib/services.ts';
import { loadLocalConfig } from '../../scripts/local-supabase/src/config-toml.ts';
import { ROOT } from '../../scripts/lib/config.ts';
import { createAppClient, type AppSupabaseClient } from '../src/lib/supabaseClient.ts';
import type { Database } from '../src/lib/database.types.ts';

export { API_URL, closeDb, closedUrl, db, grantCredits, uniqueEmail } from '../../test-support/stack.ts';
export { followConfirmationLink, latestMailLink } from '../../scripts/lib/confirm-signup.ts';
export { loadStackEnv };

/**
 * A second API server at `url` with extra flags, as a process of its own (under jsdom the
 * server's jose would be the browser build). Stop it with `.stop()`.
 */
export function startApiServer(name: string, url: string, args: string[]): Promise<Service> {
  return startService(name, TSX, ['scripts/local-supabase/src/server.ts', '--port', new URL(url).port, ...args], `${url}/auth/v1/health`);
}

/** The minimum password length supabase/config.toml sets for the auth server. */
export function configuredMinimumPasswordLength(): number {
  return loadLocalConfig(path.join(ROOT, 'supabase/config.toml')).minimumPasswordLength;
}

let clientCount = 0;

/** The web unit tests use the legacy anon JWT; the SPA build and browser tests use the publishable key. */
export async function anonKey(): Promise<string> {
  return stackEnv().ANON_KEY;
}

/** A fresh browser-like client: its own in-memory session and its own Realtime socket. */
export async function newClient(url = API_URL): Promise<AppSupabaseClient> {
  clientCount += 1;
  return createAppClient(url, await anonKey(), {
    auth: { persistSession: false, autoRefreshToken: false, storageKey: `test-${clientCount}` },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

/**
 * A client that starts with `session` already stored, the way a reload finds it in localStorage.
 * With `url` = closedUrl() it is a signed-in tab whose network is down.
 */
export async function clientWithStoredSession(session: Session, url = API_URL): Promise<AppSupabaseClient> {
  clientCount += 1;
  const storageKey = `test-${clientCount}`;
  const store = new Map<string, string>([[storageKey, JSON.stringify(session)]]);
  return createAppClient(url, await anonKey(), {
    auth: {
      persistSession: true, autoRefreshToken: false, storageKey,
      storage: {
        getItem: (key) => store.get(key) ?? null,
        setItem: (key, value) => { store.set(key, value); },
        removeItem: (key) => { store.delete(key); },
      },
    },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

/**
 * Signs `user` in again on a client whose answers to requests matching `slow` arrive `delayMs`
 * late (a slow network, nothing faked: the request reaches the real server at once).
 */
export async function clientWithSlowResponses(user: TestUser, slow: RegExp, delayMs: number): Promise<AppSupabaseClient> {
  clientCount += 1;
  const slowFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (slow.test(url)) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return response;
  };
  const client = createAppClient(API_URL, await anonKey(), {
    auth: { persistSession: false, autoRefreshToken: false, storageKey: `test-${clientCount}` },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    global: { fetch: slowFetch },
  });
  const { error } = await client.auth.signInWithPassword({ email: user.email, password: user.password });
  if (error) throw new Error(`sign-in failed: ${error.message}`);
  return client;
}

/**
 * Signs `user` in again on a client whose Edge Function calls (/functions/v1/) get `answer`
 * instead of reaching the server: a function host that cannot boot, or a browser that sees a
 * failed fetch. Everything else (REST, Auth, Realtime) reaches the real stack.
 */
export async function clientWithFailingFunctions(user: TestUser, answer: () => Promise<Response>): Promise<AppSupabaseClient> {
  clientCount += 1;
  const failingFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return new URL(url).pathname.startsWith('/functions/v1/') ? answer() : fetch(input, init);
  };
  const client = createAppClient(API_URL, await anonKey(), {
    auth: { persistSession: false, autoRefreshToken: false, storageKey: `test-${clientCount}` },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    global: { fetch: failingFetch },
  });
  const { error } = await client.auth.signInWithPassword({ email: user.email, password: user.password });
  if (error) throw new Error(`sign-in failed: ${error.message}`);
  return client;
}

/** The user's payments as the server has them (service role). */
export async function paymentsOf(userId: string): Promise<{ plan_id: string; status: string }[]> {
  const service = await serviceClient();
  const { data, error } = await service.from('payments').select('plan_id, status').eq('user_id', userId);
  if (error) throw new Error(`reading payments failed: ${error.message}`);
  return data;
}

export async function serviceClient() {
  return createClient<Database>(API_URL, stackEnv().SERVICE_ROLE_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
}

export interface TestUser {
  client: AppSupabaseClient;
  userId: string;
  email: string;
  password: string;
}

/** Signs up a brand-new recruiter (balance 0), confirms the mailed link, returns a client signed in as them. */
export async function signUpUser(prefix = 'web'): Promise<TestUser> {
  const { client, user, email, password } = await signUpWith(await newClient(), prefix);
  return { client, userId: user.id, email, password };
}

/** The balance as Postgres has it, read with the service role (not through the UI). */
export async function serverBalance(userId: string): Promise<number> {
  const service = await serviceClient();
  const { data, error } = await service.from('users').select('credits').eq('id', userId).single();
  if (error) throw new Error(`reading balance failed: ${error.message}`);
  return data.credits;
}

export async function interviewCount(userId: string): Promise<number> {
  const service = await serviceClient();
  const { data, error } = await service.from('interviews').select('id').eq('user_id', userId);
  if (error) throw new Error(`reading interviews failed: ${error.message}`);
  return data.length;
}

/** Signs an HS256 JWT with node:crypto (jose's browser build, picked under jsdom, rejects Node keys). */
export function signHs256(payload: Record<string, unknown>, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
