// The set-up's dependency fetch (function-deps.ts) fails loudly and names the cause, and gets the
// machine's trust settings. A fake npm registry on 127.0.0.1 serves TLS with a certificate of a
// private CA (fixtures/tls), as a TLS-intercepting network does: deterministic, whatever network
// this machine is on. Each attempt starts from an empty Deno cache (a new DENO_DIR).
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../lib/config.ts';
import { explainFailure, fetchFunctionDependencies, FunctionDepsError } from '../src/functions/function-deps.ts';

const TLS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/tls');
const FUNCTIONS_DIR = path.join(ROOT, 'supabase/functions');
let registry: https.Server;
let registryUrl: string;
const tempDirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A developer's machine: nothing of this test process's environment but PATH and HOME. */
function machine(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, DENO_DIR: tempDir('deno-deps-'), NPM_CONFIG_REGISTRY: registryUrl, ...extra };
}

async function failure(functionsDir: string, env: NodeJS.ProcessEnv): Promise<FunctionDepsError> {
  const error = await fetchFunctionDependencies(functionsDir, env).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FunctionDepsError);
  return error as FunctionDepsError;
}

beforeAll(async () => {
  registry = https.createServer({ key: fs.readFileSync(path.join(TLS, 'registry.key')), cert: fs.readFileSync(path.join(TLS, 'registry.crt')) },
    (_req, res) => { res.writeHead(404, { 'Content-Type': 'application/json' }); res.end('{"error":"Not found"}'); });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `https://127.0.0.1:${(registry.address() as { port: number }).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => registry.close(resolve));
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('fetching the functions\' dependencies', () => {
  it('behind a TLS-intercepting network without its CA bundle: fails with the TLS error and says to set SSL_CERT_FILE', async () => {
    const { message } = await failure(FUNCTIONS_DIR, machine({}));
    expect(message).toMatch(/could not verify the npm registry's TLS certificate/);
    expect(message).toMatch(/SSL_CERT_FILE/);
    expect(message).toMatch(/invalid peer certificate: UnknownIssuer/);
  });

  it('with SSL_CERT_FILE (or NODE_EXTRA_CA_CERTS) naming the bundle, Deno trusts the registry', async () => {
    for (const name of ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS']) {
      const { message } = await failure(FUNCTIONS_DIR, machine({ [name]: path.join(TLS, 'ca.crt') }));
      // The handshake succeeded: what fails now is that this fake registry has no packages.
      expect(message, name).not.toMatch(/certificate/i);
      expect(message, name).toMatch(/Could not find npm package tarball/);
    }
  });

  it('a DENO_CERT that cannot be read: fails naming it', async () => {
    const { message } = await failure(FUNCTIONS_DIR, machine({ DENO_CERT: '/nonexistent/ca.pem' }));
    expect(message).toMatch(/could not read the CA bundle DENO_CERT=\/nonexistent\/ca\.pem/);
  });

  it('a lockfile that does not match: fails naming deno.lock, before downloading anything', async () => {
    const copy = tempDir('functions-copy-');
    fs.cpSync(FUNCTIONS_DIR, copy, { recursive: true });
    const lock = path.join(copy, 'deno.lock');
    fs.writeFileSync(lock, fs.readFileSync(lock, 'utf8').replace('"npm:zod@4.6.7": "4.6.7"', '"npm:zod@4.6.7": "4.6.6"'));
    const { message } = await failure(copy, machine({}));
    expect(message).toMatch(/deno\.lock does not match deno\.json/);
    expect(message).not.toMatch(/certificate/i);
  });

  it('a network that refuses the connection (or a dead proxy) is named with HTTPS_PROXY', () => {
    const output = "error: Failed caching npm package 'zod@4.6.7'\n    0: error sending request for url (https://registry.npmjs.org/zod/-/zod-4.6.7.tgz): client error (Connect): tcp connect error: Connection refused (os error 111)";
    const message = explainFailure(output, { HTTPS_PROXY: 'http://proxy:3128' });
    expect(message).toMatch(/could not reach the npm registry/);
    expect(message).toMatch(/HTTPS_PROXY=http:\/\/proxy:3128/);
  });
});
