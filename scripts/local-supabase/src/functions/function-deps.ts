// Fetches every Edge Function's dependencies into Deno's cache ahead of time (part of the set-up
// that `npm start` and `npm test` run, see scripts/fetch-function-deps.ts), so the function host,
// which runs with --cached-only, never downloads while answering a request. Exactly the versions
// of supabase/functions/deno.lock (--frozen), in the environment the host itself gets, so the
// same cache (DENO_DIR) and the same trust and proxy settings apply.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../../../lib/config.ts';
import { run } from '../../../lib/run.ts';
import { hostEnvironment } from './host-env.ts';

export const DENO = path.join(ROOT, 'node_modules/.bin/deno');
export const HOST_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'deno-host.ts');

/** `<name>/index.ts` of every function (folders named as the gateway accepts them; not _shared or tests). */
export function functionEntryPoints(functionsDir: string): string[] {
  return fs.readdirSync(functionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(entry.name) && entry.name !== 'tests')
    .map((entry) => path.join(functionsDir, entry.name, 'index.ts'))
    .filter((file) => fs.existsSync(file));
}

export class FunctionDepsError extends Error {}

/** Runs `deno install --frozen --entrypoint …`; throws a FunctionDepsError saying what to do. */
export async function fetchFunctionDependencies(functionsDir: string, parent: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = path.join(functionsDir, 'deno.json');
  const env = hostEnvironment(parent, {});
  const args = ['install', '--frozen', ...(fs.existsSync(config) ? ['--config', config] : ['--no-config']),
    '--entrypoint', HOST_FILE, ...functionEntryPoints(functionsDir)];
  const result = await run(DENO, args, { cwd: functionsDir, env, check: false });
  if (result.code !== 0) throw new FunctionDepsError(explainFailure(`${result.stdout}\n${result.stderr}`, env));
}

/** Deno's error, and first what most likely caused it and which setting fixes it. */
export function explainFailure(output: string, env: Record<string, string>): string {
  // eslint-disable-next-line no-control-regex -- ESC starts the colour codes this strips
  const text = output.replace(/\x1b\[[0-9;]*m/g, '').trim();
  const lines = text.split('\n').filter((line) => !/^Download |^\s+\d+: <unknown>$|Stack backtrace/.test(line)).slice(0, 12).join('\n');
  let cause: string;
  if (/Failed opening CA file|Unable to (read|add pem) /i.test(text)) {
    cause = `Deno could not read the CA bundle DENO_CERT=${env.DENO_CERT ?? '(unset)'} names: point DENO_CERT (or SSL_CERT_FILE) at a readable PEM file.`;
  } else if (/invalid peer certificate|UnknownIssuer|certificate verify failed|CertNotValid|BadSignature/i.test(text)) {
    cause = 'Deno could not verify the npm registry\'s TLS certificate. If your network or proxy signs TLS with its own '
      + 'certificate authority, point SSL_CERT_FILE (or NODE_EXTRA_CA_CERTS, or DENO_CERT) at that CA bundle (PEM), '
      + `e.g. export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt, and run again. Deno was given DENO_CERT=${env.DENO_CERT ?? '(unset)'}.`;
  } else if (/lockfile|integrity/i.test(text)) {
    cause = 'supabase/functions/deno.lock does not match deno.json (or a download did not match its checksum). After changing '
      + 'a function dependency run `npx deno install` in supabase/functions and commit deno.lock.';
  } else if (/error sending request|tcp connect|dns error|Connection refused|timed out|proxy/i.test(text)) {
    cause = 'Deno could not reach the npm registry. Check the network; behind a proxy set HTTPS_PROXY (and NO_PROXY); '
      + `Deno was given HTTPS_PROXY=${env.HTTPS_PROXY ?? env.https_proxy ?? '(unset)'}.`;
  } else {
    cause = 'Deno could not fetch them (its error is below).';
  }
  return `fetching the Edge Functions' dependencies failed (deno install --frozen, supabase/functions/deno.lock).\n${cause}\n${lines}`;
}
