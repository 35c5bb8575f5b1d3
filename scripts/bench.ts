// Benchmarks: `npm run bench`. The default run takes under 5 minutes on a 2-core machine (it
// prints its time per step and each figure as soon as it is measured); `--full` adds the long
// scale runs (see docs/benchmarks.md): 1,000,000 ledger rows, 1,000,000 due lots across 100,000 wallets
// (period end), 3,000 and 5,000 realtime subscribers, 3 x 10 s pgbench
// rounds and the call-path floor. Every figure is a ratio against the best this machine does in the same run, measured
// side by side (pgbench sides alternate): deduct_credits vs the raw conditional UPDATE and vs the least ledgered spend,
// personal and team spends vs their same-work floors (bare SQL doing the same writes),
// billing_summary / credit_history pages at 10 / 10,000 / 100,000 ledger rows (1,000,000 with --full),
// period-end expiry by the expire-credit-lots job's own loop while 4 connections spend on other wallets, single calls through the API vs SQL,
// create_interview over HTTP vs SQL, realtime commit-to-callback, and the live balance in two real
// browser tabs (Billing with its whole history, Dashboard).
// Runs on a throwaway Postgres cluster of its own (.local/bench-pg, port 54363), its own API
// server (port 54361) and its own SPA build (port 54362), so nothing else on the stack's cluster
// decodes or competes for its WAL. Writes bench-results/latest.json.
// Options: --full, --quick (short runs, to try the script),
// --only pgbench|ledgered|samework|summary|expiry|latency|http|realtime|browser (comma-separated),
// --expiry-batches 250,1000 (wallets per call; the first gets the most lots, the others a tenth), --sizes 1,100,5000 (realtime subscriber counts).
import os from 'node:os';
import { loadStackEnv } from './lib/stack-env.ts';
import { ThrowawayCluster } from './lib/throwaway-cluster.ts';
import { spawnApiServer, type ApiProcess } from './bench/api-process.ts';
import { USERS, deductScript, runPgbenchPair, seedBenchUsers } from './bench/pgbench.ts';
import { leastLedgeredFunctionScript, leastLedgeredScript, seedLeastLedgered } from './bench/ledgered.ts';
import { FLOOR_ROLE, HOT_TEAM_MEMBERS, TEAM_SIZE, personalFloorScript, seedBenchTeams, teamDeductScript, teamFloorScript } from './bench/same-work.ts';
import { runSummary } from './bench/summary.ts';
import { runExpiry } from './bench/expiry.ts';
import { runHttpVsSql } from './bench/http-vs-sql.ts';
import { runRealtime } from './bench/realtime.ts';
import { runLatency } from './bench/latency.ts';
import { runLiveBalance } from './bench/live-balance.ts';
import { machine, printTable, writeJson, type Results, type Row } from './bench/report.ts';

// Fixed so runs are comparable; BENCH_DB_PORT / BENCH_API_PORT / BENCH_WEB_PORT move them when a checkout's stack uses these.
const BENCH_DB_PORT = Number(process.env.BENCH_DB_PORT ?? 54363);
const BENCH_API_PORT = Number(process.env.BENCH_API_PORT ?? 54361);
const BENCH_WEB_PORT = Number(process.env.BENCH_WEB_PORT ?? 54362);
const quick = process.argv.includes('--quick');
const full = process.argv.includes('--full');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
const sizesIndex = process.argv.indexOf('--sizes');
const sizes = sizesIndex >= 0 ? process.argv[sizesIndex + 1].split(',').map(Number) : undefined;
const batchesIndex = process.argv.indexOf('--expiry-batches');
const expiryBatches = batchesIndex >= 0 ? process.argv[batchesIndex + 1].split(',').map(Number) : [250];
const wanted = (section: string): boolean => only === undefined || only.split(',').includes(section);

/** How long each part runs: the default fits 5 minutes on 2 cores; --full is the scale run; --quick tries the script. */
const plan = {
  pgbench: quick ? { seconds: 3, rounds: 1 } : full ? { seconds: 10, rounds: 3 } : { seconds: 5, rounds: 2 },
  historySizes: quick ? [10, 10_000] : full ? [10, 10_000, 1_000_000] : [10, 10_000, 100_000],
  summaryCalls: quick ? 100 : full ? 500 : 200,
  // Due lots: wallets x lots per wallet (the issue's period end: 1,000,000 lots across 100,000 wallets).
  expiryWallets: quick ? 200 : full ? 100_000 : 1_000,
  expiryLotsPerWallet: 10,
  expiryBaselineSeconds: quick ? 2 : full ? 10 : 4,
  latencyCalls: quick ? 50 : full ? 300 : 150,
  httpSeconds: quick ? 3 : full ? 10 : 5,
  realtimeSizes: sizes ?? (quick ? [1, 100] : full ? [1, 100, 1000, 3000, 5000] : [1, 100, 1000]),
  browserHistories: quick ? [216] : [216, 2000],
  browserRounds: quick ? 10 : 30,
};

const printed: Row[] = [];
/** Prints a section's figures as soon as they exist (the whole table is printed again at the end). */
function report(results: Results, rows: Row[]): void {
  results.rows.push(...rows);
  printed.push(...rows);
  printTable(rows);
}

async function step<T>(index: number, total: number, label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`\n[${index}/${total}] ${label} ...`);
  const result = await work();
  console.log(`[${index}/${total}] done in ${((Date.now() - started) / 1000).toFixed(1)} s (${((Date.now() - runStarted) / 1000).toFixed(0)} s since start)`);
  return result;
}
const runStarted = Date.now();

async function main(): Promise<void> {
  const results: Results = { startedAt: new Date().toISOString(), machine: machine(), rows: [], details: {} };
  const cluster = new ThrowawayCluster({ name: 'bench-pg', port: BENCH_DB_PORT, database: 'bench' });
  let api: ApiProcess | undefined;
  const total = 10;
  const load = os.loadavg()[0].toFixed(1);
  console.log(`${full ? 'full' : quick ? 'quick' : 'default'} run${full ? ' (about 15 minutes on a 2-core machine)' : quick ? '' : ' (under 5 minutes on an idle 2-core machine; --full adds the scale runs)'}; load average at start ${load} on ${os.cpus().length} CPUs`);
  try {
    await step(1, total, `throwaway cluster on port ${BENCH_DB_PORT}, database bench (migrations + seed + 10,000 users)`, async () => {
      await cluster.create();
      await cluster.start();
      await cluster.buildDatabase();
      // The hot user's float covers four hot spend runs (deduct_credits vs raw UPDATE and vs least
      // ledgered, deduct_credits and its same-work floor); the hot team's, two.
      const hotCredits = quick ? 150_000 : full ? 800_000 : 300_000;
      await seedBenchUsers(cluster.url('bench'), hotCredits);
      await seedLeastLedgered(cluster.url('bench'));
      await seedBenchTeams(cluster.url('bench'), hotCredits / 2);
    });

    const { seconds, rounds } = plan.pgbench;
    if (wanted('pgbench')) {
      const pairs = await step(2, total, `pgbench, 8 clients, ${rounds} x ${seconds} s per side, raw and deduct_credits alternating`, async () => [
        await runPgbenchPair(cluster.url('bench'), false, 8, seconds, rounds),
        await runPgbenchPair(cluster.url('bench'), true, 8, seconds, rounds),
      ]);
      report(results, pairs.map((pair) => ({
        section: 'deduct_credits vs raw UPDATE',
        measure: pair.label,
        value: `${pair.fn.tps.toFixed(0)} tps`,
        baseline: `${pair.raw.tps.toFixed(0)} tps`,
        ratio: pair.ratio,
        note: `target 0.60; rounds ${pair.roundRatios.map((r) => r.toFixed(2)).join(' ')}`,
      })));
      results.details.pgbench = pairs;
      // pgbench left a few hundred thousand dead rows: clean up now rather than let autovacuum
      // and a checkpoint land in the middle of the latency measurements.
      await cluster.query('vacuum analyze', 'bench');
      await cluster.query('checkpoint', 'bench');
    }

    if (wanted('ledgered')) {
      const baseline = { name: 'least ledgered spend', script: leastLedgeredScript };
      const pairs = await step(3, total, `pgbench, 8 clients, ${rounds} x ${seconds} s per side, least ledgered spend and deduct_credits alternating`, async () => [
        await runPgbenchPair(cluster.url('bench'), false, 8, seconds, rounds, baseline),
        await runPgbenchPair(cluster.url('bench'), true, 8, seconds, rounds, baseline),
      ]);
      report(results, pairs.map((pair) => ({
        section: 'deduct_credits vs least ledgered spend',
        measure: pair.label,
        value: `${pair.fn.tps.toFixed(0)} tps`,
        baseline: `${pair.raw.tps.toFixed(0)} tps`,
        ratio: pair.ratio,
        note: `target 0.5 (issue 19; not met: see docs/benchmarks.md); rounds ${pair.roundRatios.map((r) => r.toFixed(2)).join(' ')}`,
      })));
      results.details.ledgered = pairs;
      if (full) {
        const inFunction = { name: 'least ledgered spend as a function', script: leastLedgeredFunctionScript };
        const callPathPairs = await step(3, total, `pgbench, 8 clients, ${rounds} x ${seconds} s per side, the same floor behind deduct_credits' call path, alternating`, async () => [
          await runPgbenchPair(cluster.url('bench'), false, 8, seconds, rounds, inFunction),
          await runPgbenchPair(cluster.url('bench'), true, 8, seconds, rounds, inFunction),
        ]);
        report(results, callPathPairs.map((pair) => ({
          section: 'deduct_credits vs least ledgered spend in the same call path (claims + security definer function)',
          measure: pair.label,
          value: `${pair.fn.tps.toFixed(0)} tps`,
          baseline: `${pair.raw.tps.toFixed(0)} tps`,
          ratio: pair.ratio,
          note: `what lots, totals, checks and the broadcast cost; rounds ${pair.roundRatios.map((r) => r.toFixed(2)).join(' ')}`,
        })));
        results.details.ledgeredCallPath = callPathPairs;
      }
      await cluster.query('vacuum analyze', 'bench');
      await cluster.query('checkpoint', 'bench');
    }

    if (wanted('samework')) {
      const personal = {
        baseline: { name: 'same-work floor', script: personalFloorScript, user: FLOOR_ROLE },
        measured: { name: 'deduct_credits', script: deductScript },
      };
      const team = {
        baseline: { name: 'team same-work floor', script: teamFloorScript, user: FLOOR_ROLE },
        measured: { name: 'deduct_credits(team_id)', script: teamDeductScript,
          uniformLabel: `uniform over ${(USERS / TEAM_SIZE).toLocaleString('en-US')} teams of ${TEAM_SIZE} members`,
          hotLabel: `one hot team wallet, ${HOT_TEAM_MEMBERS} members` },
      };
      const pairs = await step(3, total, `pgbench, 8 clients, ${rounds} x ${seconds} s per side, personal and team spends vs their same-work floors, alternating`, async () => [
        { section: 'deduct_credits vs its same-work floor', pair: await runPgbenchPair(cluster.url('bench'), false, 8, seconds, rounds, personal.baseline, personal.measured) },
        { section: 'deduct_credits vs its same-work floor', pair: await runPgbenchPair(cluster.url('bench'), true, 8, seconds, rounds, personal.baseline, personal.measured) },
        { section: 'deduct_credits(team_id) by a member vs its same-work floor', pair: await runPgbenchPair(cluster.url('bench'), false, 8, seconds, rounds, team.baseline, team.measured) },
        { section: 'deduct_credits(team_id) by a member vs its same-work floor', pair: await runPgbenchPair(cluster.url('bench'), true, 8, seconds, rounds, team.baseline, team.measured) },
      ]);
      report(results, pairs.map(({ section, pair }) => ({
        section,
        measure: pair.label,
        value: `${pair.fn.tps.toFixed(0)} tps`,
        baseline: `${pair.raw.tps.toFixed(0)} tps`,
        ratio: pair.ratio,
        note: `target 0.9; rounds ${pair.roundRatios.map((r) => r.toFixed(2)).join(' ')}`,
      })));
      results.details.samework = pairs;
      await cluster.query('vacuum analyze', 'bench');
      await cluster.query('checkpoint', 'bench');
    }

    if (wanted('summary')) {
      const summary = await step(4, total, `billing_summary, credit_history pages and the REST history query, one account each with ${plan.historySizes.map((n) => n.toLocaleString('en-US')).join(' / ')} ledger rows`, () =>
        runSummary(cluster.url('bench'), plan.historySizes, plan.summaryCalls));
      report(results, summary.rows);
      results.details.summary = summary.details;
    }

    if (wanted('expiry')) {
      const runs = expiryBatches.map((batch, i) => ({
        batch, wallets: i === 0 ? plan.expiryWallets : plan.expiryWallets / 10, lotsPerWallet: plan.expiryLotsPerWallet }));
      const expiry = await step(5, total, `period-end expiry: ${runs.map((r) => `${(r.wallets * r.lotsPerWallet).toLocaleString('en-US')} due lots of ${r.wallets.toLocaleString('en-US')} wallets with batch ${r.batch}`).join(', ')}, 4 clients spending on other wallets meanwhile`, () =>
        runExpiry({ url: cluster.url('bench'), runs, clients: 4, baselineSeconds: plan.expiryBaselineSeconds }));
      report(results, expiry.rows);
      results.details.expiry = expiry.details;
    }

    if (wanted('latency') || wanted('http') || wanted('realtime') || wanted('browser')) {
      const env = await loadStackEnv();
      api = await step(6, total, `API server (own process) on port ${BENCH_API_PORT} against the bench database`, () =>
        spawnApiServer(BENCH_API_PORT, cluster.url('bench')));
      if (wanted('browser')) {
        const live = await step(7, total, `live balance in two browser tabs (Billing, Dashboard), ${plan.browserRounds} spends per account of ${plan.browserHistories.map((n) => n.toLocaleString('en-US')).join(' / ')} history rows (SPA built on port ${BENCH_WEB_PORT})`, () =>
          runLiveBalance({ apiUrl: api!.url, dbUrl: cluster.url('bench'), env, webPort: BENCH_WEB_PORT, historySizes: plan.browserHistories, rounds: plan.browserRounds }));
        report(results, live.rows);
        results.details.browser = live.details;
      }
      if (wanted('latency')) {
        const latency = await step(8, total, 'single calls one at a time on the idle API vs direct SQL, realtime with 1 subscriber', () =>
          runLatency({ apiUrl: api!.url, dbUrl: cluster.url('bench'), env, n: plan.latencyCalls }));
        report(results, latency.rows);
        results.details.latency = latency.details;
      }
      if (wanted('http')) {
        const http = await step(9, total, 'create_interview over HTTP (supabase-js) vs direct SQL, 8 concurrent clients', () =>
          runHttpVsSql({ apiUrl: api!.url, dbUrl: cluster.url('bench'), env, clients: 8, seconds: plan.httpSeconds }));
        report(results, http.rows);
        results.details.http = http.details;
      }
      if (wanted('realtime')) {
        const counts = plan.realtimeSizes.map((n) => n.toLocaleString('en-US')).join(', ');
        const realtime = await step(10, total, `realtime commit-to-callback latency (${counts} subscribers, Broadcast and postgres_changes; 10 tabs of one user)`, () =>
          runRealtime({ apiUrl: api!.url, dbUrl: cluster.url('bench'), env, quick, sizes: plan.realtimeSizes }));
        report(results, realtime.rows);
        results.details.realtime = realtime.details;
      }
    }
  } finally {
    await api?.stop().catch(() => {});
    await cluster.remove().catch(() => {});
  }

  console.log(`\nall figures (${((Date.now() - runStarted) / 1000).toFixed(0)} s; load average now ${os.loadavg()[0].toFixed(1)}):`);
  printTable(printed);
  const m = results.machine;
  console.log(`\nmachine: ${m.cpus} CPUs (${m.model}), ${m.memoryGb} GB, Node ${m.node}; results in ${writeJson(results)}`);
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error('\nbench failed:', error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
