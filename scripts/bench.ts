// Benchmarks: `npm run bench` (about 4 minutes). Every figure is a ratio against the best this
// machine does in the same run: deduct_credits vs the raw conditional UPDATE (pgbench), the
// create_interview RPC over HTTP vs the same function over SQL, single calls on the idle API vs
// SQL, realtime commit-to-callback latency. Runs on a throwaway Postgres cluster of its own (.local/bench-pg, port 54363) and its
// own API server (port 54361), so nothing else on the stack's cluster decodes or competes for
// its WAL. Prints a table; writes bench-results/latest.json.
// Also: deduct_credits vs the least ledgered spend (a bare conditional UPDATE plus a bare ledger
// INSERT), and billing_summary / credit_history pages (vs the REST query) at 10, 10,000 and 1,000,000 ledger rows.
// And the expiry run: 100,000 due lots expired by the expire-credit-lots job's own loop (one wallet
// per transaction, a commit after each) while 4 connections keep spending on the same users (spend
// p99 during vs without the run), for the default batch; the other batch sizes on 20,000 lots each.
// Options: --quick (short runs, to try the script), --only pgbench|ledgered|summary|expiry|latency|http|realtime (comma-separated),
// --expiry-batches 50,10,500 (the first gets the 100,000 lots),
// --sizes 1,100,5000 (realtime subscriber counts; default 1, 100, 1,000, 3,000, 5,000).
import { loadStackEnv } from './lib/stack-env.ts';
import { ThrowawayCluster } from './lib/throwaway-cluster.ts';
import { spawnApiServer, type ApiProcess } from './bench/api-process.ts';
import { runPgbenchPair, seedBenchUsers } from './bench/pgbench.ts';
import { leastLedgeredFunctionScript, leastLedgeredScript, seedLeastLedgered } from './bench/ledgered.ts';
import { runSummary } from './bench/summary.ts';
import { runExpiry } from './bench/expiry.ts';
import { runHttpVsSql } from './bench/http-vs-sql.ts';
import { runRealtime } from './bench/realtime.ts';
import { runLatency } from './bench/latency.ts';
import { machine, printTable, writeJson, type Results, type Row } from './bench/report.ts';

// Fixed so runs are comparable; BENCH_DB_PORT / BENCH_API_PORT move them when a checkout's stack uses these.
const BENCH_DB_PORT = Number(process.env.BENCH_DB_PORT ?? 54363);
const BENCH_API_PORT = Number(process.env.BENCH_API_PORT ?? 54361);
const quick = process.argv.includes('--quick');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
const sizesIndex = process.argv.indexOf('--sizes');
const sizes = sizesIndex >= 0 ? process.argv[sizesIndex + 1].split(',').map(Number) : undefined;
const batchesIndex = process.argv.indexOf('--expiry-batches');
const expiryBatches = batchesIndex >= 0 ? process.argv[batchesIndex + 1].split(',').map(Number) : [50, 10, 500];
const wanted = (section: string): boolean => only === undefined || only.split(',').includes(section);

async function step<T>(index: number, total: number, label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  process.stdout.write(`[${index}/${total}] ${label} ...`);
  const result = await work();
  console.log(` done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function main(): Promise<void> {
  const results: Results = { startedAt: new Date().toISOString(), machine: machine(), rows: [], details: {} };
  const cluster = new ThrowawayCluster({ name: 'bench-pg', port: BENCH_DB_PORT, database: 'bench' });
  let api: ApiProcess | undefined;
  const total = 9;
  try {
    await step(1, total, `throwaway cluster on port ${BENCH_DB_PORT}, database bench (migrations + seed + 10,000 users)`, async () => {
      await cluster.create();
      await cluster.start();
      await cluster.buildDatabase();
      // The hot user's float covers two hot deduct_credits runs (vs raw UPDATE and vs least ledgered).
      await seedBenchUsers(cluster.url('bench'), quick ? 120_000 : 500_000);
      await seedLeastLedgered(cluster.url('bench'));
    });

    if (wanted('pgbench')) {
      const seconds = quick ? 3 : 10;
      const rounds = quick ? 1 : 3;
      const pairs = await step(2, total, `pgbench, 8 clients, ${rounds} x ${seconds} s per side, raw and deduct_credits alternating`, async () => [
        await runPgbenchPair(cluster.url('bench'), false, 8, seconds, rounds),
        await runPgbenchPair(cluster.url('bench'), true, 8, seconds, rounds),
      ]);
      for (const pair of pairs) {
        results.rows.push({
          section: 'deduct_credits vs raw UPDATE',
          measure: pair.label,
          value: `${pair.fn.tps.toFixed(0)} tps`,
          baseline: `${pair.raw.tps.toFixed(0)} tps`,
          ratio: pair.ratio,
          note: `target 0.60; rounds ${pair.roundRatios.map((r) => r.toFixed(2)).join(' ')}`,
        });
      }
      results.details.pgbench = pairs;
      // pgbench left a few hundred thousand dead rows: clean up now rather than let autovacuum
      // and a checkpoint land in the middle of the latency measurements.
      await cluster.query('vacuum analyze', 'bench');
      await cluster.query('checkpoint', 'bench');
    }

    if (wanted('ledgered')) {
      const seconds = quick ? 3 : 10;
      const rounds = quick ? 1 : 3;
      const baseline = { name: 'least ledgered spend', script: leastLedgeredScript };
      const pairs = await step(3, total, `pgbench, 8 clients, ${rounds} x ${seconds} s per side, least ledgered spend and deduct_credits alternating`, async () => [
        await runPgbenchPair(cluster.url('bench'), false, 8, seconds, rounds, baseline),
        await runPgbenchPair(cluster.url('bench'), true, 8, seconds, rounds, baseline),
      ]);
      for (const pair of pairs) {
        results.rows.push({
          section: 'deduct_credits vs least ledgered spend',
          measure: pair.label,
          value: `${pair.fn.tps.toFixed(0)} tps`,
          baseline: `${pair.raw.tps.toFixed(0)} tps`,
          ratio: pair.ratio,
          note: `target 0.9 (with lots); rounds ${pair.roundRatios.map((r) => r.toFixed(2)).join(' ')}`,
        });
      }
      results.details.ledgered = pairs;
      const inFunction = { name: 'least ledgered spend as a function', script: leastLedgeredFunctionScript };
      const callPathPairs = await step(3, total, `pgbench, 8 clients, ${rounds} x ${seconds} s per side, the same floor behind deduct_credits' call path, alternating`, async () => [
        await runPgbenchPair(cluster.url('bench'), false, 8, seconds, rounds, inFunction),
        await runPgbenchPair(cluster.url('bench'), true, 8, seconds, rounds, inFunction),
      ]);
      for (const pair of callPathPairs) {
        results.rows.push({
          section: 'deduct_credits vs least ledgered spend in the same call path (claims + security definer function)',
          measure: pair.label,
          value: `${pair.fn.tps.toFixed(0)} tps`,
          baseline: `${pair.raw.tps.toFixed(0)} tps`,
          ratio: pair.ratio,
          note: `what lots, totals, checks and the broadcast cost; rounds ${pair.roundRatios.map((r) => r.toFixed(2)).join(' ')}`,
        });
      }
      results.details.ledgeredCallPath = callPathPairs;
      await cluster.query('vacuum analyze', 'bench');
      await cluster.query('checkpoint', 'bench');
    }

    if (wanted('summary')) {
      const historySizes = quick ? [10, 10_000, 100_000] : [10, 10_000, 1_000_000];
      const summary = await step(4, total, `billing_summary, credit_history pages and the REST history query, one account each with ${historySizes.map((n) => n.toLocaleString('en-US')).join(' / ')} ledger rows`, () =>
        runSummary(cluster.url('bench'), historySizes, quick ? 100 : 500));
      results.rows.push(...summary.rows);
      results.details.summary = summary.details;
    }

    if (wanted('expiry')) {
      const lots = quick ? 10_000 : 100_000;
      const runs = expiryBatches.map((batch, i) => ({ batch, lots: i === 0 ? lots : lots / 5 }));
      const expiry = await step(5, total, `expiry: ${runs.map((r) => `${r.lots.toLocaleString('en-US')} due lots with batch ${r.batch}`).join(', ')}, 4 clients spending meanwhile`, () =>
        runExpiry({ url: cluster.url('bench'), runs, clients: 4, baselineSeconds: quick ? 3 : 10 }));
      results.rows.push(...expiry.rows);
      results.details.expiry = expiry.details;
    }

    if (wanted('latency') || wanted('http') || wanted('realtime')) {
      const env = await loadStackEnv();
      api = await step(6, total, `API server (own process) on port ${BENCH_API_PORT} against the bench database`, () =>
        spawnApiServer(BENCH_API_PORT, cluster.url('bench')));
      if (wanted('latency')) {
        const latency = await step(7, total, 'single calls one at a time on the idle API vs direct SQL, realtime with 1 subscriber', () =>
          runLatency({ apiUrl: api!.url, dbUrl: cluster.url('bench'), env, n: quick ? 50 : 300 }));
        results.rows.push(...latency.rows);
        results.details.latency = latency.details;
      }
      if (wanted('http')) {
        const http = await step(8, total, 'create_interview over HTTP (supabase-js) vs direct SQL, 8 concurrent clients', () =>
          runHttpVsSql({ apiUrl: api!.url, dbUrl: cluster.url('bench'), env, clients: 8, seconds: quick ? 3 : 10 }));
        results.rows.push(...http.rows);
        results.details.http = http.details;
      }
      if (wanted('realtime')) {
        const counts = (sizes ?? (quick ? [1, 100] : [1, 100, 1000, 3000, 5000])).map((n) => n.toLocaleString('en-US')).join(', ');
        const realtime = await step(9, total, `realtime commit-to-callback latency (${counts} subscribers, Broadcast and postgres_changes; 10 tabs of one user)`, () =>
          runRealtime({ apiUrl: api!.url, dbUrl: cluster.url('bench'), env, quick, sizes }));
        results.rows.push(...realtime.rows);
        results.details.realtime = realtime.details;
      }
    }
  } finally {
    await api?.stop().catch(() => {});
    await cluster.remove().catch(() => {});
  }

  console.log('');
  printTable(results.rows as Row[]);
  const m = results.machine;
  console.log(`\nmachine: ${m.cpus} CPUs (${m.model}), ${m.memoryGb} GB, Node ${m.node}; results in ${writeJson(results)}`);
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error('\nbench failed:', error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
