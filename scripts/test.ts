// The whole test suite: `npm test` (via scripts/bootstrap.sh, which installs what is missing).
// Rebuilds the local database, runs every layer against the real stack, and ends with one line
// `N passed, N failed` summing every layer; exits non-zero when anything failed.
// Needs the stack's ports free (stop `npm start` first): it uses the same ports and database.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Steps } from './lib/steps.ts';
import { ensureCluster, startDb, buildDatabase } from './lib/db.ts';
import { API_PORT, API_URL, DB_PORT, WEB_PORT, WEB_URL, ROOT, dbUrl } from './lib/config.ts';
import { loadStackEnv } from './lib/stack-env.ts';
import { runPgTap, runVitest, runDeno, type LayerResult } from './lib/layers.ts';
import { runPlpgsqlCheck, runSecurityAdvisors } from './lib/db-checks.ts';
import { portInUse, startService, TSX, type Service } from './lib/services.ts';
import { run } from './lib/run.ts';
import { findFiles } from './lib/test-discovery.ts';

const JS_BUDGET_BYTES = 250 * 1024;
const results: LayerResult[] = [];
const services: Service[] = [];

async function layer(steps: Steps, title: string, work: () => Promise<LayerResult>): Promise<void> {
  let result: LayerResult;
  try {
    result = await steps.run(title, work);
  } catch (error) {
    console.error(`${title}: ${(error as Error).message}`);
    result = { layer: title, passed: 0, failed: 1, note: 'did not run' };
  }
  results.push(result);
  console.log(`    ${result.layer}: ${result.passed} passed, ${result.failed} failed${result.note ? ` (${result.note})` : ''}`);
}

function bundleGzipBytes(dir: string): number {
  let total = 0;
  for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (file.endsWith('.js')) total += zlib.gzipSync(fs.readFileSync(path.join(dir, file))).length;
  }
  return total;
}

/** Every TypeScript project of ours compiles under strict settings (one check per project). */
async function typecheck(): Promise<LayerResult> {
  let passed = 0;
  let failed = 0;
  for (const project of ['tsconfig.json', 'web/tsconfig.json']) {
    const r = await run(path.join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', project], { cwd: ROOT, check: false });
    if (r.code === 0) passed += 1; else { failed += 1; console.log(`tsc -p ${project}:\n${r.stdout}${r.stderr}`); }
  }
  return { layer: 'typecheck', passed, failed, note: 'tsconfig.json, web/tsconfig.json' };
}

/** ESLint on the whole repository (`npm run lint`): typescript-eslint, React hooks, the SPA's boundaries. */
async function lint(): Promise<LayerResult> {
  const r = await run(path.join(ROOT, 'node_modules/.bin/eslint'), ['.'], { cwd: ROOT, check: false });
  if (r.code !== 0) console.log(`eslint .:\n${r.stdout}${r.stderr}`);
  return { layer: 'lint', passed: r.code === 0 ? 1 : 0, failed: r.code === 0 ? 0 : 1, note: 'eslint .' };
}

// Every file named like a test, anywhere in the repo, must have been run by some layer: a file no
// config includes would otherwise never fail. The runners' fixtures are not tests of the product.
const TEST_FILE_GLOBS = ['**/*.test.ts', '**/*.test.tsx', '**/*_test.ts', '**/*.test.sql'];
const NOT_TESTS = 'scripts/lib/fixtures/';

function everyTestFileRan(): LayerResult {
  const ran = new Set(results.flatMap((r) => r.files ?? []).map((f) => path.relative(ROOT, f)));
  const onDisk = findFiles(ROOT, TEST_FILE_GLOBS).filter((f) => !f.startsWith(NOT_TESTS));
  const missing = onDisk.filter((f) => !ran.has(f));
  for (const f of missing) console.log(`no layer ran ${f}`);
  return { layer: 'every test file ran', passed: missing.length === 0 ? 1 : 0, failed: missing.length, note: `${onDisk.length} test files on disk` };
}

async function main(): Promise<void> {
  const steps = new Steps(18, 'test ');
  const env = await loadStackEnv();
  const db = dbUrl('postgres');
  const stackEnv = { API_URL, WEB_URL, TEST_DB_URL: db };

  for (const port of [API_PORT, WEB_PORT]) {
    if (await portInUse(port)) throw new Error(`port ${port} is in use: stop \`npm start\` (or whatever holds it) and run npm test again`);
  }

  await layer(steps, 'typecheck (tsc, strict)', typecheck);
  await layer(steps, 'lint (ESLint)', lint);
  await layer(steps, 'install and scripts (Vitest)', () => runVitest('install', 'scripts/tests/vitest.config.ts'));
  await steps.run(`starting Postgres (port ${DB_PORT})`, async () => { await ensureCluster(); await startDb(); });
  await steps.run('rebuilding the database (baseline, migrations, seed)', () => buildDatabase('postgres'));

  await layer(steps, 'test runners report honestly (Vitest, fixtures)', () =>
    runVitest('runners', 'scripts/vitest.config.ts', stackEnv));
  await layer(steps, 'pgTAP (pg_prove)', () => runPgTap(db, path.join(ROOT, 'supabase/tests/database')));
  // pgTAP files run in transactions that roll back, but rebuild so later layers start from the seed.
  await buildDatabase('postgres');
  await layer(steps, 'plpgsql_check', () => runPlpgsqlCheck(db));
  await layer(steps, 'security advisors', () => runSecurityAdvisors(db));
  await layer(steps, 'generated types match the schema', async () => {
    const r = await run(TSX, ['scripts/gen-types.ts', '--db', 'postgres', '--check'], { cwd: ROOT, check: false });
    if (r.code !== 0) console.log(r.stdout + r.stderr);
    return { layer: 'generated types', passed: r.code === 0 ? 1 : 0, failed: r.code === 0 ? 0 : 1, note: 'web/src/lib/database.types.ts' };
  });

  let apiUp = false;
  await steps.run(`starting the local API server (port ${API_PORT})`, async () => {
    services.push(await startService('api', TSX, ['scripts/api/server.ts', '--port', String(API_PORT), '--db', 'postgres', '--no-watch'],
      `${API_URL}/auth/v1/health`));
    apiUp = true;
  }).catch((error: Error) => console.error(error.message));
  const needApi = async (work: () => Promise<LayerResult>): Promise<LayerResult> => {
    if (!apiUp) throw new Error('the API server is not running');
    return work();
  };

  // The Deno layer sees only the new-style keys, as a hosted project that disabled its legacy keys
  // would; the legacy ones come under TEST_LEGACY_* for the tests that check them on their own.
  await layer(steps, 'Deno (Edge Functions)', () => needApi(() => runDeno(path.join(ROOT, 'supabase/functions'), {
    SUPABASE_URL: API_URL,
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: env.PUBLISHABLE_KEY }), SUPABASE_SECRET_KEYS: JSON.stringify({ default: env.SECRET_KEY }),
    SUPABASE_ANON_KEY: '', SUPABASE_SERVICE_ROLE_KEY: '',
    TEST_LEGACY_ANON_KEY: env.ANON_KEY, TEST_LEGACY_SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY,
    STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET, SITE_URL: WEB_URL, SUPABASE_DB_URL: db,
  })));
  await layer(steps, 'API and concurrency (Vitest, supabase-js)', () => needApi(() =>
    runVitest('api', 'supabase/tests/vitest.config.ts', stackEnv)));
  await layer(steps, 'web unit (Vitest)', () => needApi(() => runVitest('web', 'web/vitest.config.ts', stackEnv)));

  let webUp = false;
  await layer(steps, 'SPA production build (JS budget 250 kB gzipped)', async () => {
    // `npm run build` as a user runs it: no VITE_* set, so it targets this stack with its publishable
    // key; the browser layer thus runs on the new-style key while the web unit tests use the legacy anon key.
    await run(TSX, ['scripts/build.ts'], { cwd: ROOT, env: { ...process.env, VITE_SUPABASE_URL: '', VITE_SUPABASE_PUBLISHABLE_KEY: '', VITE_SUPABASE_ANON_KEY: '' } });
    const bytes = bundleGzipBytes(path.join(ROOT, 'web/dist'));
    const ok = bytes <= JS_BUDGET_BYTES;
    return { layer: 'SPA build', passed: ok ? 1 : 0, failed: ok ? 0 : 1, note: `${(bytes / 1024).toFixed(1)} kB of JS gzipped` };
  });
  await steps.run(`serving the SPA build (port ${WEB_PORT})`, async () => {
    services.push(await startService('web', TSX, ['scripts/preview.ts'], WEB_URL)); // `npm run preview`
    webUp = true;
  }).catch((error: Error) => console.error(error.message));
  await layer(steps, 'browser (playwright-core + Chromium)', () => {
    if (!webUp || !apiUp) throw new Error('the SPA or the API is not running');
    return runVitest('e2e', 'web/e2e/vitest.config.ts', stackEnv);
  });
  await layer(steps, 'every test file on disk ran in some layer', async () => everyTestFileRan());
}

async function finish(code: number): Promise<never> {
  await Promise.all(services.map((s) => s.stop()));
  console.log('\nLayer summary:');
  for (const r of results) console.log(`  ${r.layer.padEnd(32)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(4)} failed  ${r.note ?? ''}`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0) + (code === 0 ? 0 : 1);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().then(() => finish(0), async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await finish(1);
});

process.on('SIGINT', () => void finish(130));
