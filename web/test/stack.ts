// Test helpers for unit tests that talk to the real local stack: the API server at API_URL
// (default http://127.0.0.1:54321) with the keys from .local/stack.env. Nothing is faked: a
// closed port is a real network failure, a grant is a real service-role RPC.
// Tests under web/src reach scripts/ only through this file: the lint rule keeps web/src itself
// free of imports from scripts/.
import net from 'node:net';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Session } from '@supabase/supabase-js';
import { loadStackEnv } from '../../scripts/lib/stack-env.ts';
import { signUpAndConfirm } from '../../scripts/lib/confirm-signup.ts';
import { startService, TSX, type Service } from '../../scripts/lib/services.ts';
import { loadLocalConfig } from '../../scripts/api/config-toml.ts';
import { ROOT } from '../../scripts/lib/config.ts';
import { createAppClient, type AppSupabaseClient } from '../src/lib/supabaseClient.ts';
import type { Database } from '../src/lib/database.types.ts';

export const API_URL = process.env.API_URL ?? 'http://127.0.0.1:54321';
export { loadStackEnv };

/**
 * A second API server at `url` with extra flags, as a process of its own (under jsdom the
 * server's jose would be the browser build). Stop it with `.stop()`.
 */
export function startApiServer(name: string, url: string, args: string[]): Promise<Service> {
  return startService(name, TSX, ['scripts/api/server.ts', '--port', new URL(url).port, ...args], `${url}/auth/v1/health`);
}

/** The minimum password length supabase/config.toml sets for the auth server. */
export function configuredMinimumPasswordLength(): number {
  return loadLocalConfig(path.join(ROOT, 'supabase/config.toml')).minimumPasswordLength;
}
/**
 * A URL where nothing listens (a port we just bound and released): requests to it fail the way
 * they do when the network is down. (Fixed low ports like 9 are refused by fetch itself.)
 */
export async function closedUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

let clientCount = 0;

/** The web unit tests use the legacy anon JWT; the SPA build and browser tests use the publishable key. */
export async function anonKey(): Promise<string> {
  return (await loadStackEnv()).ANON_KEY;
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

/** The user's payments as the server has them (service role). */
export async function paymentsOf(userId: string): Promise<{ plan_id: string; status: string }[]> {
  const service = await serviceClient();
  const { data, error } = await service.from('payments').select('plan_id, status').eq('user_id', userId);
  if (error) throw new Error(`reading payments failed: ${error.message}`);
  return data;
}

export async function serviceClient() {
  const env = await loadStackEnv();
  return createClient<Database>(API_URL, env.SERVICE_ROLE_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
}

export interface TestUser {
  client: AppSupabaseClient;
  userId: string;
  email: string;
  password: string;
}

/** Signs up a brand-new recruiter (balance 0), confirms the mailed link, returns a client signed in as them. */
export async function signUpUser(prefix = 'web'): Promise<TestUser> {
  const client = await newClient();
  const email = `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const password = 'correct-horse-battery';
  const { user } = await signUpAndConfirm(client, API_URL, email, password);
  return { client, userId: user.id, email, password };
}

/** Grants credits the way support or a payment would: service_role add_credits. */
export async function grantCredits(userId: string, amount: number): Promise<number> {
  const service = await serviceClient();
  const { data, error } = await service.rpc('add_credits', {
    user_id: userId, amount, kind: 'grant', reason: 'unit test grant', idempotency_key: `test-grant-${crypto.randomUUID()}`,
  });
  if (error) throw new Error(`add_credits failed: ${error.message}`);
  return (data as { balance: number }).balance;
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
