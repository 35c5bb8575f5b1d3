// The /functions/v1 gateway with the real Deno runtime: verify_jwt from config.toml is honoured
// (default on: any valid project JWT, the anon key included), and method, path, query, headers
// and the raw body bytes reach the function unchanged.
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { startApiServer, type ApiServer } from '../src/server.ts';
import { anonClient, freePort, signUpUser, stackEnv, TEST_DB_URL } from '../../../test-support/stack.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PORT = await freePort();
let server: ApiServer;

interface Echo {
  method: string; path: string; search: string; contentType: string | null; authorization: string | null;
  custom: string | null; length: number; sha256: string; base64: string; supabaseUrl: string | null; hasServiceKey: boolean;
  greeting: string | null; canary: string | null;
}

beforeAll(async () => {
  // A secret of the API server's own process: the functions must not inherit it.
  process.env.GATEWAY_TEST_CANARY = 'server-only-secret';
  server = await startApiServer({
    port: PORT, dbUrl: TEST_DB_URL, env: stackEnv(),
    functionsDir: path.join(HERE, '../fixtures/functions'), configToml: path.join(HERE, '../fixtures/config.toml'),
  });
  // The first call boots Deno; do it outside the timed tests.
  await fetch(`${server.url}/functions/v1/open`, { method: 'POST', body: 'warm-up' });
}, 120_000);

afterAll(async () => {
  delete process.env.GATEWAY_TEST_CANARY;
  await server?.close();
});

function invoke(name: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}/functions/v1/${name}`, init);
}

describe('verify_jwt', () => {
  it('default (true): no token, a forged token or an expired token get 401', async () => {
    const forged = await new SignJWT({ role: 'anon' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h')
      .sign(new TextEncoder().encode('wrong-secret-wrong-secret-wrong-secret'));
    const expired = await new SignJWT({ role: 'anon' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(1_000_000).setExpirationTime(1_000_060)
      .sign(new TextEncoder().encode(stackEnv().JWT_SECRET));
    const attempts: Record<string, string>[] = [{}, { Authorization: `Bearer ${forged}` }, { Authorization: `Bearer ${expired}` }, { Authorization: 'Basic abc' }];
    for (const headers of attempts) {
      const response = await invoke('echo', { method: 'POST', headers, body: '{}' });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 401 });
    }
  });

  it('default (true): the anon key and a user JWT pass; supabase.functions.invoke works', async () => {
    const anon = await invoke('echo', { headers: { Authorization: `Bearer ${stackEnv().ANON_KEY}` } });
    expect(anon.status).toBe(200);
    const { client, session } = await signUpUser('fn', server.url);
    const { data, error } = await client.functions.invoke<Echo>('echo', { body: { hello: 'world' }, headers: { 'x-custom': 'kept' } });
    expect(error).toBeNull();
    expect(data).toMatchObject({ method: 'POST', path: '/echo', contentType: 'application/json', custom: 'kept', authorization: `Bearer ${session.access_token}` });
    expect(Buffer.from(data!.base64, 'base64').toString()).toBe('{"hello":"world"}');
  });

  it('verify_jwt = false: callers without a token (e.g. Stripe) reach the function', async () => {
    const response = await invoke('open', { method: 'POST', body: 'no auth' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Echo).authorization).toBeNull();
  });
});

describe('forwarding', () => {
  it('forwards the raw body byte-for-byte (binary and signed-payload-like text)', async () => {
    const bytes = crypto.randomBytes(256 * 1024);
    const response = await invoke('open', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
    const echo = (await response.json()) as Echo;
    expect(echo.length).toBe(bytes.length);
    expect(echo.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    const stripeLike = '{\n  "id": "evt_1",  "amount": 500,\r\n "note": "ünïcödé \\u00e9"\n}';
    const text = (await (await invoke('open', { method: 'POST', headers: { 'Content-Type': 'application/json', 'stripe-signature': 't=1,v1=abc' }, body: stripeLike })).json()) as Echo;
    expect(Buffer.from(text.base64, 'base64').toString('utf8')).toBe(stripeLike);
  });

  it('the function sees /<name>[/rest] with the query string, and every method', async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const response = await invoke('open/sub/path?x=1&y=two', { method });
      expect(await response.json()).toMatchObject({ method, path: '/open/sub/path', search: '?x=1&y=two' });
    }
  });

  it('functions get the stack environment (SUPABASE_URL of this server, service key) and functions/.env', async () => {
    const echo = (await (await invoke('open')).json()) as Echo;
    expect(echo).toMatchObject({ supabaseUrl: server.url, hasServiceKey: true, greeting: 'hello from .env' });
  });

  it("functions do not inherit the API server's own environment", async () => {
    expect(process.env.GATEWAY_TEST_CANARY).toBe('server-only-secret');
    const echo = (await (await invoke('open')).json()) as Echo;
    expect(echo.canary).toBeNull();
  });

  it("a caller that hangs up aborts the function's request", async () => {
    const auth = { Authorization: `Bearer ${stackEnv().ANON_KEY}` };
    const abortedCount = async (): Promise<number> => ((await (await invoke('slow/aborted', { headers: auth })).json()) as { aborted: number }).aborted;
    const before = await abortedCount();
    const controller = new AbortController();
    const call = invoke('slow', { headers: auth, signal: controller.signal }).catch((error: unknown) => error);
    await new Promise((r) => setTimeout(r, 500));
    controller.abort();
    expect(await call).toBeInstanceOf(Error);
    const deadline = Date.now() + 3000;
    while ((await abortedCount()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await abortedCount()).toBe(before + 1);
  });

  it('a function that fails to load is 503 BOOT_ERROR, and the others keep working', async () => {
    const response = await invoke('broken', { headers: { Authorization: `Bearer ${stackEnv().ANON_KEY}` } });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' });
    expect((await invoke('open')).status).toBe(200);
  });

  it('unknown functions are 404 and errors surface as FunctionsHttpError', async () => {
    const response = await invoke('nope', { headers: { Authorization: `Bearer ${stackEnv().ANON_KEY}` } });
    expect(response.status).toBe(404);
    const { error } = await anonClient(server.url).functions.invoke('nope');
    expect(error).toBeInstanceOf(FunctionsHttpError);
    expect((await invoke('..%2F..%2Fetc', { headers: { Authorization: `Bearer ${stackEnv().ANON_KEY}` } })).status).toBe(404);
  });

  it('OPTIONS reaches the function without a JWT (the function answers its own preflight)', async () => {
    const response = await invoke('echo', { method: 'OPTIONS' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Echo).method).toBe('OPTIONS');
  });
});
