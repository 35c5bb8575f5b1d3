// The app on its local stack: `npm start` (via scripts/bootstrap.sh, which installs what is missing).
// Starts Postgres (54322), migrates and seeds it on first run (later runs only apply new
// migrations and keep your data), then the local API server (54321) and the SPA (5173).
// The set-up (scripts/bootstrap.sh) has fetched the Edge Functions' dependencies; "ready" is
// printed only after every function booted (the API server exits with the boot error otherwise).
// The API is restarted if it dies (printing why, with a doubling delay). Ctrl-C stops the API and
// the SPA; Postgres keeps running until `npm run db:stop`.
import { Steps } from './lib/steps.ts';
import { ensureCluster, startDb, buildDatabase, applyBaseline, pushMigrations, sql } from './lib/db.ts';
import { API_PORT, API_URL, DB_PORT, WEB_PORT, WEB_URL, dbUrl } from './lib/config.ts';
import { loadStackEnv, STACK_ENV_FILE } from './lib/stack-env.ts';
import { portInUse, startService, TSX, VITE, type Service } from './lib/services.ts';

const services: Service[] = [];

async function databaseIsBuilt(): Promise<boolean> {
  const r = await sql("select to_regclass('supabase_migrations.schema_migrations') is not null as built");
  return r.rows[0].built === true;
}

async function main(): Promise<void> {
  const steps = new Steps(5, 'start ');
  const env = await loadStackEnv();
  for (const port of [API_PORT, WEB_PORT]) {
    if (await portInUse(port)) throw new Error(`port ${port} is in use: is \`npm start\` already running?`);
  }
  await steps.run(`starting Postgres (port ${DB_PORT})`, async () => { await ensureCluster(); await startDb(); });
  await steps.run('migrating the database', async () => {
    if (await databaseIsBuilt()) {
      await applyBaseline();
      await pushMigrations();
      console.log('    existing database kept; new migrations applied (npm run db:reset rebuilds it)');
    } else {
      await buildDatabase('postgres');
      console.log('    new database: baseline, migrations and seed applied');
    }
  });
  // --boot-functions: the API answers only once every Edge Function booted, and exits with the
  // boot errors otherwise, so "ready" means a purchase can work.
  await steps.run(`starting the local API server and booting the Edge Functions (port ${API_PORT})`, async () => {
    services.push(await startService('api', TSX, ['scripts/local-supabase/src/server.ts', '--port', String(API_PORT), '--db', 'postgres', '--boot-functions'],
      `${API_URL}/auth/v1/health`, { echo: true, restart: true, timeoutMs: 120_000 }));
  });
  await steps.run(`starting the SPA (Vite, port ${WEB_PORT})`, async () => {
    services.push(await startService('web', VITE, ['--config', 'web/vite.config.ts', '--port', String(WEB_PORT), '--strictPort', '--host', '127.0.0.1'],
      WEB_URL, { env: { VITE_SUPABASE_URL: API_URL, VITE_SUPABASE_PUBLISHABLE_KEY: env.PUBLISHABLE_KEY } }));
  });
  await steps.run('ready', async () => {});
  console.log(`
  SPA           ${WEB_URL}
  API           ${API_URL}   (REST /rest/v1, Auth /auth/v1, Realtime /realtime/v1, Functions /functions/v1)
  Inbox         ${API_URL}/inbox   (sign-up confirmations and the outbox's mails land here; send-email runs every 2 s)
  Database      ${dbUrl()}
  Demo login    demo@recruiter.test / demo-password-123   (15 credits, four weeks of history)
  publishable   ${env.PUBLISHABLE_KEY}   (browser; the SPA uses this one)
  secret key    ${env.SECRET_KEY}   (servers only; refused from browsers)
  anon key      ${env.ANON_KEY}   (legacy JWT, same role as publishable)
  service key   ${env.SERVICE_ROLE_KEY}   (legacy JWT, same role as secret)
  keys file     ${STACK_ENV_FILE}
  Payments      local checkout (no Stripe account needed); set STRIPE_SECRET_KEY for real Stripe test mode

  Ctrl-C stops the API and the SPA; \`npm run db:stop\` stops Postgres.`);
}

async function shutdown(code: number): Promise<never> {
  await Promise.all(services.map((s) => s.stop()));
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
