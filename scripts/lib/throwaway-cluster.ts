// A private Postgres 15 cluster under .local/<name>/ on its own port, for the benchmarks and the
// reliability tests that must not share the stack's cluster: the pgbench pair (the stack's
// cluster carries other databases' logical-decoding slots, which would decode our WAL) and the
// crash test (which SIGKILLs the postmaster). Built from the same pieces as the stack's cluster
// (scripts/lib: runAsPostgres, the baseline SQL, `supabase db push`, seed.sql).
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DB_HOST, DB_PASSWORD, LOCAL_DIR, PG_BIN, ROOT } from './config.ts';
import { run, runAsPostgres } from './run.ts';
import { chownToPostgres, initCluster, letPostgresTraverse, restartIfCronLauncherGone } from './db.ts';

export interface ClusterOptions {
  name: string;
  port: number;
  /** The one database buildDatabase() makes; pg_cron's launcher reads its jobs there (cron.database_name). */
  database: string;
  /** Extra postgresql.conf lines (after the defaults, so they win). */
  settings?: string[];
}

export class ThrowawayCluster {
  readonly dir: string;
  readonly dataDir: string;
  readonly runDir: string;
  readonly port: number;
  readonly database: string;
  private readonly settings: string[];

  constructor(options: ClusterOptions) {
    this.dir = path.join(LOCAL_DIR, options.name);
    this.dataDir = path.join(this.dir, 'data');
    this.runDir = path.join(this.dir, 'run');
    this.port = options.port;
    this.database = options.database;
    this.settings = options.settings ?? [];
  }

  url(database = 'postgres', user = 'postgres'): string {
    return `postgresql://${user}:${DB_PASSWORD}@${DB_HOST}:${this.port}/${database}`;
  }

  /** initdb from scratch (any previous cluster of this name is stopped and removed first). */
  async create(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.runDir, { recursive: true, mode: 0o755 });
    fs.chmodSync(this.dir, 0o755);
    letPostgresTraverse(this.dir);
    fs.mkdirSync(this.dataDir, { mode: 0o700 });
    chownToPostgres(this.runDir, this.dataDir);
    await initCluster({ dataDir: this.dataDir, runDir: this.runDir, port: this.port, label: 'throwaway cluster',
      cronDatabase: this.database, settings: this.settings, noSync: true });
  }

  async start(): Promise<void> {
    const log = path.join(this.runDir, 'postgres.log');
    try {
      await runAsPostgres(`${PG_BIN}/pg_ctl`, ['-D', this.dataDir, '-l', log, '-w', '-t', '120', 'start']);
    } catch (error) {
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
      throw new Error(`${(error as Error).message}\n--- ${log}\n${tail}`, { cause: error });
    }
  }

  async stop(): Promise<void> {
    if (!fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) return;
    await runAsPostgres(`${PG_BIN}/pg_ctl`, ['-D', this.dataDir, '-m', 'fast', '-w', 'stop'], { check: false });
  }

  /** The postmaster's pid, from postmaster.pid; null when the cluster is not running. */
  postmasterPid(): number | null {
    const file = path.join(this.dataDir, 'postmaster.pid');
    if (!fs.existsSync(file)) return null;
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && processExists(pid) ? pid : null;
  }

  /**
   * A crash: SIGKILL to this cluster's postmaster, then to each of its children (a SIGKILLed
   * postmaster leaves busy backends running, holding the shared memory a restart needs; a
   * machine or container crash takes them all at once, which is what this imitates).
   */
  async kill(): Promise<void> {
    const pid = this.postmasterPid();
    if (pid === null) return;
    const children = childrenOf(pid);
    process.kill(pid, 'SIGKILL');
    for (const child of children) {
      try { process.kill(child, 'SIGKILL'); } catch { /* already gone */ }
    }
    const deadline = Date.now() + 10_000;
    while ([pid, ...children].some(processExists)) {
      if (Date.now() > deadline) throw new Error(`cluster ${this.dir}: processes survived SIGKILL`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // A restart refuses to run while postmaster.pid names a process that still exists, and a
    // zombie does until its parent (here PID 1) reaps it. Give that a moment; a lock file that
    // names a zombie is stale (the process holds nothing any more), so remove it.
    const reaped = Date.now() + 3000;
    while (fs.existsSync(`/proc/${pid}`) && Date.now() < reaped) await new Promise((r) => setTimeout(r, 50));
    if (fs.existsSync(`/proc/${pid}`)) fs.rmSync(path.join(this.dataDir, 'postmaster.pid'), { force: true });
  }

  async query(sql: string, database = 'postgres'): Promise<pg.QueryResult> {
    const client = new pg.Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  }

  /**
   * The cluster's database as the stack builds it: baseline, migrations (`supabase db push`), seed.
   * Only this one name: the migrations' `create extension pg_cron` works only in cron.database_name.
   */
  async buildDatabase(): Promise<void> {
    const database = this.database;
    await this.query(`drop database if exists "${database}" with (force)`);
    await this.query(`create database "${database}"`);
    const url = this.url(database);
    const psql = (file: string): Promise<unknown> => run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file],
      { env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' } });
    await psql(path.join(ROOT, 'scripts/local-supabase/baseline.sql'));
    await run(path.join(ROOT, 'node_modules/.bin/supabase'), ['db', 'push', `--remote=${url}`, '--yes', '--include-all'],
      { cwd: ROOT, env: { ...process.env, SUPABASE_YES: '1', DO_NOT_TRACK: '1' } });
    await psql(path.join(ROOT, 'supabase/seed.sql'));
    await restartIfCronLauncherGone((text) => this.query(text), async () => { await this.stop(); await this.start(); });
  }

  /** Stops the cluster and deletes its folder. */
  async remove(): Promise<void> {
    await this.stop();
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}


function processExists(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // A zombie has exited already; it only waits for its parent to reap it.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function childrenOf(parent: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(entry));
    } catch { /* exited while we looked */ }
  }
  return out;
}
