// Runs one test layer (a tool with its own output format) and turns its result into counts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from './run.ts';
import { ROOT } from './config.ts';

export interface LayerResult {
  layer: string;
  passed: number;
  failed: number;
  note?: string;
}

const BIN = path.join(ROOT, 'node_modules/.bin');

/** pgTAP through pg_prove: counts `ok N` / `not ok N` lines; a file that dies counts as one failure. */
export async function runPgTap(dbUrl: string, dir: string): Promise<LayerResult> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.sql')).sort().map((f) => path.join(dir, f));
  if (files.length === 0) return { layer: 'pgTAP', passed: 0, failed: 1, note: `no *.test.sql in ${dir}` };
  const r = await run('pg_prove', ['--verbose', '--failures', '-d', dbUrl, ...files], { check: false, cwd: ROOT });
  const lines = r.stdout.split('\n');
  const passed = lines.filter((l) => /^\s*ok \d+/.test(l)).length;
  const notOk = lines.filter((l) => /^\s*not ok \d+/.test(l));
  let failed = notOk.length;
  if (r.code !== 0 && failed === 0) failed = 1;
  if (failed > 0) {
    process.stdout.write(`${notOk.join('\n')}\n${r.stdout.split('Test Summary Report')[1] ?? ''}\n${r.stderr}\n`);
  }
  return { layer: 'pgTAP', passed, failed, note: `${files.length} files` };
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { status: string }[] }[];
}

/** Vitest with its JSON report; a file that fails to load counts as one failure. */
export async function runVitest(layer: string, config: string, env: NodeJS.ProcessEnv = {}, files: string[] = []): Promise<LayerResult> {
  const report = path.join(os.tmpdir(), `vitest-${layer.replace(/\W+/g, '-')}-${process.pid}.json`);
  fs.rmSync(report, { force: true });
  const r = await run(path.join(BIN, 'vitest'), ['run', '--config', config,
    '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...files],
  { check: false, cwd: ROOT, echo: true, env: { ...process.env, ...env, FORCE_COLOR: '0' } });
  if (!fs.existsSync(report)) {
    return { layer, passed: 0, failed: 1, note: `vitest wrote no report (exit ${r.code})` };
  }
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as VitestJson;
  const brokenFiles = json.testResults.filter((t) => t.status === 'failed' && !t.assertionResults.some((a) => a.status === 'failed'));
  for (const file of brokenFiles) process.stdout.write(`failed to run ${file.name}: ${file.message ?? ''}\n`);
  let failed = json.numFailedTests + brokenFiles.length;
  if (json.testResults.length === 0) failed += 1;
  return { layer, passed: json.numPassedTests, failed, note: `${json.testResults.length} files` };
}

/** `deno test`, whose last line reads `ok | 12 passed | 0 failed (1s)`. */
export async function runDeno(dir: string, env: NodeJS.ProcessEnv): Promise<LayerResult> {
  const r = await run(path.join(BIN, 'deno'), ['test', '-A', '--config', 'deno.json'],
    { check: false, cwd: dir, echo: true, env: { ...process.env, ...env, NO_COLOR: '1' } });
  const m = /(\d+) passed[^\n]*?\| (\d+) failed/.exec(r.stdout + r.stderr);
  if (!m) return { layer: 'Deno', passed: 0, failed: 1, note: `deno test printed no summary (exit ${r.code})` };
  const failed = Number(m[2]) + (r.code !== 0 && Number(m[2]) === 0 ? 1 : 0);
  return { layer: 'Deno', passed: Number(m[1]), failed };
}
