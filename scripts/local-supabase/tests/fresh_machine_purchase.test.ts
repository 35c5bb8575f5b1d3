// The first purchase on a fresh machine: an empty Deno cache (DENO_DIR is a new folder), the
// set-up's dependency fetch run into it as scripts/bootstrap.sh runs it, then the stack's own
// function host (booting every function before it answers) and a recruiter buying credits end to
// end: checkout → local checkout completion → Stripe-signed webhook → balance up. The dependency
// fetch gets the machine's environment filtered as the host's is (host-env.ts): on a network whose
// TLS trust comes from SSL_CERT_FILE it fails with `UnknownIssuer` unless that bundle reaches Deno.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../lib/config.ts';
import { startApiServer, type ApiServer } from '../src/server.ts';
import { fetchFunctionDependencies } from '../src/functions/function-deps.ts';
import { balanceOf, clientWithKey, closeDb, freePort, signUpWith, stackEnv, TEST_DB_URL } from '../../../test-support/stack.ts';

const FUNCTIONS_DIR = path.join(ROOT, 'supabase/functions');
const savedDenoDir = process.env.DENO_DIR;
let denoDir: string;
let server: ApiServer | undefined;

async function start(): Promise<ApiServer> {
  return startApiServer({ port: await freePort(), dbUrl: TEST_DB_URL, env: stackEnv(), watchFunctions: false, bootFunctions: true });
}

beforeAll(() => {
  denoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deno-fresh-machine-'));
  // The host and the fetch inherit DENO_DIR from this process, as they would from a developer's shell.
  process.env.DENO_DIR = denoDir;
});

afterAll(async () => {
  await server?.close();
  if (savedDenoDir === undefined) delete process.env.DENO_DIR; else process.env.DENO_DIR = savedDenoDir;
  fs.rmSync(denoDir, { recursive: true, force: true });
  await closeDb();
});

describe('a fresh machine (empty Deno cache)', () => {
  it('before the set-up fetched the dependencies, the API refuses to start and names every function that cannot boot', async () => {
    const error = await start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/6 Edge Function\(s\) failed to boot/);
    for (const name of ['billing-portal', 'checkout', 'local-checkout-complete', 'local-subscription', 'send-email', 'stripe-webhook']) expect(message).toContain(`function ${name} failed to boot`);
    expect(message).toContain('fetch-function-deps.ts');
  });

  it('the set-up fetches every function\'s dependencies (frozen lockfile) into the empty cache', async () => {
    const started = performance.now();
    await fetchFunctionDependencies(FUNCTIONS_DIR);
    const seconds = (performance.now() - started) / 1000;
    console.log(`deno install --frozen into an empty DENO_DIR: ${seconds.toFixed(1)} s`);
    const cached = fs.readdirSync(path.join(denoDir, 'npm'), { recursive: true }) as string[];
    for (const pkg of ['stripe', 'zod', path.join('@supabase', 'supabase-js')]) expect(cached).toContain(path.join('registry.npmjs.org', pkg));
  }, 120_000);

  it('then every function boots, and a recruiter buys 5 credits end to end without any download', async () => {
    server = await start();
    const client = clientWithKey(stackEnv().PUBLISHABLE_KEY, server.url);
    const { user } = await signUpWith(client, 'fresh', server.url);
    const before = await balanceOf(user.id);

    const checkout = await client.functions.invoke('checkout', { body: { plan_id: 'pack_5' } });
    expect(checkout.error).toBeNull();
    const { session_id } = checkout.data as { session_id: string };
    expect(session_id).toMatch(/^cs_local_/);

    // The local checkout's "Pay": it posts a Stripe-signed checkout.session.completed to stripe-webhook.
    const paid = await client.functions.invoke('local-checkout-complete', { body: { session_id } });
    expect(paid.error).toBeNull();
    expect(paid.data).toMatchObject({ session_id, received: true, action: 'checkout_paid' });
    expect(await balanceOf(user.id)).toBe(before + 5);
  });
});
