// The private Postgres cluster of the local stack: created, started, stopped and rebuilt
// idempotently, running as the `postgres` OS user in a git-ignored folder.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DB_PORT, PGDATA, PG_BIN, PG_RUN_DIR, LOCAL_DIR, ROOT, dbUrl, DB_PASSWORD } from './config.ts';
import { run, runAsPostgres } from './run.ts';

const LOG_FILE = path.join(PG_RUN_DIR, 'postgres.log');

export function chownToPostgres(...paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = postgresIds();
  for (const p of paths) fs.chownSync(p, uid, gid);
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  if (!ids) {
    const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
    if (!line) throw new Error('no `postgres` OS user: install postgresql-15 (npm test does this as root)');
    const parts = line.split(':');
    ids = { uid: Number(parts[2]), gid: Number(parts[3]) };
  }
  return ids;
}

/**
 * The `postgres` OS user must be able to reach the data folder inside the checkout. A checkout
 * under a private folder (mode 700, e.g. from mktemp -d) blocks it, so add the traverse bit
 * (never read) to each ancestor that lacks it, and say so.
 */
export function letPostgresTraverse(dir: string): void {
  if (process.getuid?.() !== 0) return;
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, mode | 0o001);
      console.log(`    added o+x to ${d} so the postgres user can reach ${dir}`);
    }
    if (d === path.dirname(d)) break;
  }
}

export interface ClusterLayout {
  dataDir: string;
  runDir: string;
  port: number;
  /** Names the settings block in postgresql.conf. */
  label: string;
  /** The database the migrations go to: pg_cron's launcher reads its jobs there (cron.database_name). */
  cronDatabase: string;
  /** Extra postgresql.conf lines, after the shared ones so they win. */
  settings?: string[];
  /** initdb --no-sync: for throwaway clusters only. */
  noSync?: boolean;
}

/**
 * initdb into an empty dataDir (owned by postgres) with the settings every cluster of ours
 * shares: loopback only, logical WAL for Realtime, durable commits, pg_stat_statements, pg_cron.
 */
export async function initCluster(layout: ClusterLayout): Promise<void> {
  const pwFile = path.join(layout.runDir, 'pwfile');
  fs.writeFileSync(pwFile, `${DB_PASSWORD}\n`);
  chownToPostgres(pwFile);
  await runAsPostgres(`${PG_BIN}/initdb`, ['-D', layout.dataDir, '-U', 'postgres', '--pwfile', pwFile,
    '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8',
    ...(layout.noSync ? ['--no-sync'] : [])]);
  fs.rmSync(pwFile);
  const settings = [
    `port = ${layout.port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${layout.runDir}'`,
    `wal_level = logical`,
    `max_wal_senders = 10`,
    `max_replication_slots = 10`,
    `max_connections = 300`,
    `shared_buffers = 256MB`,
    `fsync = on`,
    `synchronous_commit = on`,
    `log_min_messages = warning`,
    `timezone = 'UTC'`,
    ...cronSettings(layout.runDir, layout.cronDatabase),
    ...(layout.settings ?? []),
  ];
  fs.appendFileSync(path.join(layout.dataDir, 'postgresql.conf'), `\n# ${layout.label}\n${settings.join('\n')}\n`);
}

/**
 * pg_cron, loaded at start (the migrations' `create extension pg_cron` needs it). Its launcher
 * reads the jobs of `database` and runs each over the unix socket, where local connections are
 * trusted: no password to store for it.
 */
export function cronSettings(runDir: string, database: string): string[] {
  return [
    `shared_preload_libraries = 'pg_stat_statements,pg_cron'`,
    `cron.database_name = '${database}'`,
    `cron.host = '${runDir}'`,
  ];
}

const STACK_DATABASE = 'postgres';

/**
 * A cluster made before pg_cron joined the settings gets them appended (later lines win);
 * startDb then restarts a running server that has not loaded it. Returns true when it appended.
 */
function addCronToOldCluster(): boolean {
  const conf = path.join(PGDATA, 'postgresql.conf');
  if (fs.readFileSync(conf, 'utf8').includes('pg_cron')) return false;
  fs.appendFileSync(conf, `\n# local stack: pg_cron (added to a cluster created before it)\n${cronSettings(PG_RUN_DIR, STACK_DATABASE).join('\n')}\n`);
  return true;
}

/** Creates the cluster on first use (initdb + our settings). Returns true when it was created. */
export async function ensureCluster(): Promise<boolean> {
  fs.mkdirSync(LOCAL_DIR, { recursive: true, mode: 0o755 });
  fs.chmodSync(LOCAL_DIR, 0o755);
  letPostgresTraverse(LOCAL_DIR);
  fs.mkdirSync(PG_RUN_DIR, { recursive: true });
  chownToPostgres(PG_RUN_DIR);
  if (fs.existsSync(path.join(PGDATA, 'PG_VERSION'))) {
    if (addCronToOldCluster()) console.log('    pg_cron added to the settings of the existing cluster');
    return false;
  }
  fs.mkdirSync(PGDATA, { recursive: true, mode: 0o700 });
  chownToPostgres(PGDATA);
  await initCluster({ dataDir: PGDATA, runDir: PG_RUN_DIR, port: DB_PORT, label: 'local stack', cronDatabase: STACK_DATABASE,
    settings: ['max_wal_senders = 20', 'max_replication_slots = 20', 'max_connections = 400'] });
  return true;
}

export async function isRunning(): Promise<boolean> {
  const r = await runAsPostgres(`${PG_BIN}/pg_ctl`, ['-D', PGDATA, 'status'], { check: false });
  return r.code === 0;
}

export async function startDb(): Promise<'started' | 'already running' | 'restarted to load pg_cron'> {
  if (await isRunning()) {
    await waitReady();
    if (await cronLoaded()) return 'already running';
    await restartDb();
    return 'restarted to load pg_cron';
  }
  await runAsPostgres(`${PG_BIN}/pg_ctl`, ['-D', PGDATA, '-l', LOG_FILE, '-w', '-t', '60', 'start']);
  await waitReady();
  return 'started';
}

async function restartDb(): Promise<void> {
  await runAsPostgres(`${PG_BIN}/pg_ctl`, ['-D', PGDATA, '-l', LOG_FILE, '-m', 'fast', '-w', '-t', '60', 'restart']);
  await waitReady();
}

async function cronLoaded(): Promise<boolean> {
  const r = await sql(`select 'pg_cron' = any(string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) as loaded`);
  return r.rows[0].loaded === true;
}

export async function stopDb(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  if (!fs.existsSync(path.join(PGDATA, 'PG_VERSION'))) return;
  if (!(await isRunning())) return;
  await runAsPostgres(`${PG_BIN}/pg_ctl`, ['-D', PGDATA, '-m', mode, '-w', 'stop']);
}

export async function waitReady(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: dbUrl('postgres') });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** psql with ON_ERROR_STOP, as the superuser, on one file. */
export async function psqlFile(file: string, database = 'postgres'): Promise<void> {
  await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', dbUrl(database), '-f', file], {
    env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' },
  });
}

export async function sql(query: string, database = 'postgres'): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: dbUrl(database) });
  await client.connect();
  try {
    return await client.query(query);
  } finally {
    await client.end();
  }
}

/**
 * A logical replication slot (the running API server's realtime feed keeps one) blocks DROP
 * DATABASE even WITH (FORCE): end the sessions holding slots, then drop the rest. The API server
 * reconnects to the rebuilt database by itself, with a new slot (and tells its channels to re-read).
 */
async function releaseReplicationSlots(database: string): Promise<void> {
  const client = new pg.Client({ connectionString: dbUrl('template1') });
  await client.connect();
  try {
    await client.query('select pg_terminate_backend(active_pid) from pg_replication_slots where database = $1 and active_pid is not null', [database]);
    for (let attempt = 0; attempt < 50; attempt += 1) {
      await client.query('select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = $1 and not active', [database]);
      const { rows } = await client.query('select 1 from pg_replication_slots where database = $1', [database]);
      if (rows.length === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.end();
  }
}

/** Drops and recreates a database (kicking out its connections). */
export async function recreateDatabase(name: string): Promise<void> {
  const ident = `"${name.replaceAll('"', '""')}"`;
  await releaseReplicationSlots(name);
  await sql(`drop database if exists ${ident} with (force)`, 'template1');
  await sql(`create database ${ident}`, 'template1');
}

export async function applyBaseline(database = 'postgres'): Promise<void> {
  await psqlFile(path.join(ROOT, 'scripts/local-supabase/baseline.sql'), database);
}

/** Applies supabase/migrations with the official Supabase CLI (no Docker needed for a URL). */
export async function pushMigrations(database = 'postgres'): Promise<string> {
  const r = await run(path.join(ROOT, 'node_modules/.bin/supabase'),
    ['db', 'push', `--remote=${dbUrl(database)}`, '--yes', '--include-all'],
    { cwd: ROOT, env: { ...process.env, SUPABASE_YES: '1', DO_NOT_TRACK: '1' } });
  return r.stdout + r.stderr;
}

export async function applySeed(database = 'postgres'): Promise<void> {
  await psqlFile(path.join(ROOT, 'supabase/seed.sql'), database);
}

/**
 * pg_cron's launcher keeps a session in cron.database_name; DROP DATABASE ... WITH (FORCE) ends
 * it, and it exits for good (exit code 0: the postmaster never restarts it). Only a server restart
 * brings it back, so after rebuilding that database restart when it is gone. Returns true when it restarted.
 */
export async function restartIfCronLauncherGone(query: (text: string) => Promise<pg.QueryResult>,
  restart: () => Promise<void>): Promise<boolean> {
  const r = await query(`select current_setting('shared_preload_libraries') like '%pg_cron%'
    and not exists (select 1 from pg_catalog.pg_stat_activity where backend_type = 'pg_cron launcher') as gone`);
  if (r.rows[0].gone !== true) return false;
  await restart();
  return true;
}

/** A database built from nothing: baseline, migrations, seed (and pg_cron's launcher running on it). */
export async function buildDatabase(database = 'postgres', options: { seed?: boolean } = {}): Promise<void> {
  await recreateDatabase(database);
  await applyBaseline(database);
  await pushMigrations(database);
  if (options.seed !== false) await applySeed(database);
  if (database === STACK_DATABASE) await restartIfCronLauncherGone((text) => sql(text), restartDb);
}
