// The whole test suite: `npm test` (via scripts/bootstrap.sh, which installs what is missing).
// Rebuilds the local database, runs every layer against the real stack, and ends with one line
// `N passed, N failed` summing every layer; exits non-zero when anything failed.
// Needs the stack's ports free (stop `npm start` first): it uses the same ports and database.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { runPlan, type PlanEntry } from './lib/layer-plan.ts';
import { ensureCluster, startDb, buildDatabase } from './lib/db.ts';
import { API_PORT, API_URL, DB_PORT, WEB_PORT, WEB_URL, ROOT, dbUrl } from './lib/config.ts';
import { loadStackEnv, localEmailEnv, type StackEnv } from './lib/stack-env.ts';
import { runPgTap, runVitest, runDeno, type LayerResult } from './lib/layers.ts';
import { runPlpgsqlCheck, runSecurityAdvisors } from './lib/db-checks.ts';
import { portInUse, startService, TSX, type Service } from './lib/services.ts';
import { run } from './lib/run.ts';
import { findFiles } from './lib/test-discovery.ts';

const JS_BUDGET_BYTES = 250 * 1024;
const results: LayerResult[] = [];
const services: Service[] = [];

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

/** Every step of `npm test`, in order: set-up entries bring up what the layers after them need. */
function plan(env: StackEnv): PlanEntry[] {
  const db = dbUrl('postgres');
  const stackEnv = { API_URL, WEB_URL, TEST_DB_URL: db };
  return [
    { title: 'typecheck (tsc, strict)', run: typecheck },
    { title: 'lint (ESLint)', run: lint },
    { title: 'install and scripts (Vitest)', run: () => runVitest('install', 'scripts/tests/vitest.config.ts') },
    { title: `starting Postgres (port ${DB_PORT})`, provides: 'postgres', start: async () => { await ensureCluster(); await startDb(); } },
    { title: 'rebuilding the database (baseline, migrations, seed)', needs: ['postgres'], provides: 'db', start: () => buildDatabase('postgres') },
    { title: 'test runners report honestly (Vitest, fixtures)', needs: ['db'], run: () => runVitest('runners', 'scripts/vitest.config.ts', stackEnv) },
    { title: 'pgTAP (pg_prove)', needs: ['db'], run: () => runPgTap(db, path.join(ROOT, 'supabase/tests/database')) },
    // pgTAP files run in transactions that roll back, but rebuild so later layers start from the seed.
    { title: 'rebuilding the database after pgTAP', needs: ['postgres'], provides: 'db', start: () => buildDatabase('postgres') },
    { title: 'plpgsql_check', needs: ['db'], run: () => runPlpgsqlCheck(db) },
    { title: 'security advisors', needs: ['db'], run: () => runSecurityAdvisors(db) },
    { title: 'generated types match the schema', needs: ['db'], run: generatedTypes },
    { title: `starting the local API server (port ${API_PORT})`, needs: ['db'], provides: 'api', start: async () => {
      // --outbox-cron-ms 0 / --topup-cron-ms 0: the tests call send-email and auto-topup themselves
      // (npm start calls them every 2 s).
      services.push(await startService('api', TSX, ['scripts/local-supabase/src/server.ts', '--port', String(API_PORT), '--db', 'postgres', '--no-watch', '--boot-functions', '--outbox-cron-ms', '0', '--topup-cron-ms', '0'],
        `${API_URL}/auth/v1/health`, { timeoutMs: 120_000 }));
    } },
    // The Deno layer sees only the new-style keys, as a hosted project that disabled its legacy keys
    // would; the legacy ones come under TEST_LEGACY_* for the tests that check them on their own.
    { title: 'Deno (Edge Functions)', needs: ['api'], run: () => runDeno(path.join(ROOT, 'supabase/functions'), {
      SUPABASE_URL: API_URL,
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: env.PUBLISHABLE_KEY }), SUPABASE_SECRET_KEYS: JSON.stringify({ default: env.SECRET_KEY }),
      SUPABASE_ANON_KEY: '', SUPABASE_SERVICE_ROLE_KEY: '',
      TEST_LEGACY_ANON_KEY: env.ANON_KEY, TEST_LEGACY_SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY,
      STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET, SITE_URL: WEB_URL, SUPABASE_DB_URL: db,
      ...localEmailEnv(API_URL, env),
    }) },
    { title: 'local stand-in (Vitest)', needs: ['api'], run: () => runVitest('local stand-in', 'scripts/local-supabase/vitest.config.ts', stackEnv) },
    { title: 'API and concurrency (Vitest, supabase-js)', needs: ['api'], run: () => runVitest('api', 'supabase/tests/vitest.config.ts', stackEnv) },
    { title: 'web unit (Vitest)', needs: ['api'], run: () => runVitest('web', 'web/vitest.config.ts', stackEnv) },
    { title: 'SPA production build (JS budget 250 kB gzipped)', run: spaBuild },
    { title: `serving the SPA build (port ${WEB_PORT})`, provides: 'web', start: async () => {
      services.push(await startService('web', TSX, ['scripts/preview.ts'], WEB_URL)); // `npm run preview`
    } },
    { title: 'browser (playwright-core + Chromium)', needs: ['api', 'web'], run: () => runVitest('e2e', 'web/e2e/vitest.config.ts', stackEnv) },
    { title: 'every test file on disk ran in some layer', run: async () => everyTestFileRan() },
  ];
}

async function generatedTypes(): Promise<LayerResult> {
  const r = await run(TSX, ['scripts/gen-types.ts', '--db', 'postgres', '--check'], { cwd: ROOT, check: false });
  if (r.code !== 0) console.log(r.stdout + r.stderr);
  return { layer: 'generated types', passed: r.code === 0 ? 1 : 0, failed: r.code === 0 ? 0 : 1, note: 'web/src/lib/database.types.ts' };
}

async function spaBuild(): Promise<LayerResult> {
  // `npm run build` as a user runs it: no VITE_* set, so it targets this stack with its publishable
  // key; the browser layer thus runs on the new-style key while the web unit tests use the legacy anon key.
  await run(TSX, ['scripts/build.ts'], { cwd: ROOT, env: { ...process.env, VITE_SUPABASE_URL: '', VITE_SUPABASE_PUBLISHABLE_KEY: '', VITE_SUPABASE_ANON_KEY: '' } });
  const bytes = bundleGzipBytes(path.join(ROOT, 'web/dist'));
  const ok = bytes <= JS_BUDGET_BYTES;
  return { layer: 'SPA build', passed: ok ? 1 : 0, failed: ok ? 0 : 1, note: `${(bytes / 1024).toFixed(1)} kB of JS gzipped` };
}

async function main(): Promise<void> {
  for (const port of [API_PORT, WEB_PORT]) {
    if (await portInUse(port)) throw new Error(`port ${port} is in use: stop \`npm start\` (or whatever holds it) and run npm test again`);
  }
  await runPlan(plan(await loadStackEnv()), { prefix: 'test ', onResult: (r) => results.push(r) });
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
