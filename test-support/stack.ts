// The one module of stack helpers for Node tests (the stand-in's, the product's API and
// reliability tests, the web unit tests): real supabase-js clients pointed at the running local
// API (env API_URL, default http://127.0.0.1:54321), sign-up through the local inbox, grants,
// balances from a pg pool on the same database (env TEST_DB_URL, default the `postgres` database
// on STACK_DB_PORT), free ports, polling. Lives outside scripts/ and web/ so both may import it.
import crypto from 'node:crypto';
import net from 'node:net';
import { createClient, type Session, type SupabaseClient, type User } from '@supabase/supabase-js';
import pg from 'pg';
import ws from 'ws';
import { loadStackEnv, type StackEnv } from '../scripts/lib/stack-env.ts';

export type { StackEnv };
import { dbUrl } from '../scripts/lib/config.ts';
import { signUpAndConfirm } from '../scripts/lib/confirm-signup.ts';

export const API_URL = process.env.API_URL ?? 'http://127.0.0.1:54321';
export const TEST_DB_URL = process.env.TEST_DB_URL ?? dbUrl('postgres');

const env = await loadStackEnv();

export function stackEnv(): StackEnv {
  return env;
}

/** A supabase-js client as a Node app builds it: `ws` for realtime, no session storage. */
export function clientWithKey(key: string, url = API_URL): SupabaseClient {
  return createClient(url, key, {
    // realtime-js types its transport as the DOM WebSocket constructor; `ws` is API-compatible.
    realtime: { transport: ws as unknown as typeof WebSocket },
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

export function anonClient(url = API_URL): SupabaseClient {
  return clientWithKey(env.ANON_KEY, url);
}

export function serviceClient(url = API_URL): SupabaseClient {
  return clientWithKey(env.SERVICE_ROLE_KEY, url);
}

export interface SignedUpUser {
  client: SupabaseClient;
  user: User;
  email: string;
  password: string;
  session: Session;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}@example.test`;
}

/**
 * Signs up a fresh address on `client` and confirms it through the mailed link, as a recruiter
 * does; the client is then signed in as the new user.
 */
export async function signUpWith<C extends Pick<SupabaseClient, 'auth'>>(client: C, prefix = 'user', url = API_URL): Promise<Omit<SignedUpUser, 'client'> & { client: C }> {
  const email = uniqueEmail(prefix);
  const password = `pw-${crypto.randomBytes(8).toString('hex')}`;
  const { user, session } = await signUpAndConfirm(client, url, email, password);
  return { client, user, email, password, session };
}

/** A fresh user signed up and confirmed on its own supabase-js client. */
export function signUpUser(prefix = 'user', url = API_URL): Promise<SignedUpUser> {
  return signUpWith(anonClient(url), prefix, url);
}

let pool: pg.Pool | undefined;

/** A pg pool (superuser) on TEST_DB_URL, for assertions and setup the API must not allow. */
export function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: TEST_DB_URL, max: 4 });
  return pool;
}

export async function closeDb(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.end();
}

/** Grants credits through the service-role RPC, as the payment functions do. */
export async function grantCredits(userId: string, amount: number, url = API_URL): Promise<number> {
  const { data, error } = await serviceClient(url).rpc('add_credits', { user_id: userId, amount, kind: 'grant', reason: 'test grant' });
  if (error) throw new Error(`add_credits failed: ${error.code} ${error.message}`);
  return (data as { balance: number }).balance;
}

export async function balanceOf(userId: string): Promise<number> {
  const { rows } = await db().query<{ credits: number }>('select credits from public.users where id = $1', [userId]);
  if (!rows[0]) throw new Error(`no public.users row for ${userId}`);
  return rows[0].credits;
}

/** Both parts of a balance: available (users.credits) and reserved by scheduled interviews' holds. */
export async function walletOf(userId: string): Promise<{ credits: number; reserved: number }> {
  const { rows } = await db().query<{ credits: number; reserved: number }>(
    'select credits, credits_reserved as reserved from public.users where id = $1', [userId]);
  if (!rows[0]) throw new Error(`no public.users row for ${userId}`);
  return rows[0];
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000, stepMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** A port nothing listens on right now, for a test's own server: two test runs never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A URL where nothing listens (a port just bound and released): requests to it fail the way they
 * do when the network is down. (Fixed low ports like 9 are refused by fetch itself.)
 */
export async function closedUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}
