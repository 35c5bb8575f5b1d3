// Runs one test layer (a tool with its own output format) and turns its result into counts.
// A layer never looks greener than its run: a runner that exits non-zero, a skipped, todo or
// ignored test, and a test file that ran fewer tests than it declares all count as failures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from './run.ts';
import { ROOT } from './config.ts';
import { declaredTests, findFiles } from './test-discovery.ts';

export interface LayerResult {
  layer: string;
  passed: number;
  failed: number;
  note?: string;
  /** Absolute paths of the test files the layer ran (to find test files no layer runs). */
  files?: string[];
}

export interface RunOptions {
  /** Echo the runner's output (default true; the runners' own tests run fixtures quietly). */
  echo?: boolean;
}

const BIN = path.join(ROOT, 'node_modules/.bin');

function report(lines: string[], options: RunOptions): void {
  if (lines.length > 0 && options.echo !== false) process.stdout.write(`${lines.join('\n')}\n`);
}

/** A runner's non-zero exit is a failure even when its counts show none. */
function withExitCode(result: LayerResult, code: number, runner: string, options: RunOptions = {}): LayerResult {
  if (code === 0 || result.failed > 0) return result;
  report([`${runner} exited with ${code} although no test failed: counted as a failure`], options);
  return { ...result, failed: 1, note: `${result.note ? `${result.note}, ` : ''}${runner} exited ${code}` };
}

/**
 * pgTAP through pg_prove: counts `ok N` / `not ok N` lines. A skipped or todo test, a file that
 * skips everything (`1..0`), and a file that dies count as failures; pg_prove checks each
 * file's plan(N).
 */
export async function runPgTap(dbUrl: string, dir: string, options: RunOptions = {}): Promise<LayerResult> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.sql')).sort().map((f) => path.join(dir, f));
  if (files.length === 0) return { layer: 'pgTAP', passed: 0, failed: 1, note: `no *.test.sql in ${dir}` };
  const r = await run('pg_prove', ['--verbose', '--failures', '-d', dbUrl, ...files], { check: false, cwd: ROOT });
  const lines = r.stdout.split('\n');
  const directive = (l: string): boolean => /#\s*(skip|todo)\b/i.test(l);
  const passed = lines.filter((l) => /^\s*ok \d+/.test(l) && !directive(l)).length;
  const bad = lines.filter((l) => /^\s*not ok \d+/.test(l) || (/^\s*ok \d+/.test(l) && directive(l)) || /^\s*1\.\.0\b/.test(l));
  const failed = bad.length;
  if (failed > 0 || r.code !== 0) report([...bad, r.stdout.split('Test Summary Report')[1] ?? '', r.stderr], options);
  return withExitCode({ layer: 'pgTAP', passed, failed, note: `${files.length} files`, files }, r.code, 'pg_prove', options);
}

interface VitestJson {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { status: string; fullName: string }[];
  }[];
}

/**
 * Vitest with its JSON report. Failures: failed tests, files that fail to load, skipped and todo
 * tests, files that ran fewer tests than they declare (or none), and a non-zero exit (an
 * unhandled error or rejection leaves every test green but makes Vitest exit 1).
 */
export async function runVitest(layer: string, config: string, env: NodeJS.ProcessEnv = {}, files: string[] = [], options: RunOptions = {}): Promise<LayerResult> {
  const reportFile = path.join(os.tmpdir(), `vitest-${layer.replace(/\W+/g, '-')}-${process.pid}.json`);
  fs.rmSync(reportFile, { force: true });
  const r = await run(path.join(BIN, 'vitest'), ['run', '--config', config,
    '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...files],
  { check: false, cwd: ROOT, echo: options.echo ?? true, env: { ...process.env, ...env, FORCE_COLOR: '0' } });
  if (!fs.existsSync(reportFile)) {
    return { layer, passed: 0, failed: 1, note: `vitest wrote no report (exit ${r.code})` };
  }
  const json = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as VitestJson;
  fs.rmSync(reportFile, { force: true });
  const problems: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const file of json.testResults) {
    const tests = file.assertionResults;
    passed += tests.filter((t) => t.status === 'passed').length;
    failed += tests.filter((t) => t.status === 'failed').length;
    for (const t of tests.filter((t) => t.status !== 'passed' && t.status !== 'failed')) {
      failed += 1;
      problems.push(`${t.status} (counted as failed): ${path.relative(ROOT, file.name)} > ${t.fullName}`);
    }
    const declared = Math.max(1, declaredTests(file.name, 'vitest'));
    if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      failed += 1;
      problems.push(`failed to run ${path.relative(ROOT, file.name)}: ${file.message ?? ''}`);
    } else if (tests.length < declared) {
      failed += 1;
      problems.push(`${path.relative(ROOT, file.name)} ran ${tests.length} tests but declares at least ${declared}`);
    }
  }
  if (json.testResults.length === 0) {
    failed += 1;
    problems.push(`vitest found no test files for ${config}`);
  }
  report(problems, options);
  return withExitCode({ layer, passed, failed, note: `${json.testResults.length} files`, files: json.testResults.map((t) => t.name) }, r.code, 'vitest', options);
}

/**
 * `deno test`, whose last line reads `ok | 12 passed | 0 failed (1s)`. Failures: failed tests,
 * ignored tests or steps, a test module (per deno.json's test.include) that runs fewer tests
 * than it declares or none, and a non-zero exit.
 */
export async function runDeno(dir: string, env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<LayerResult> {
  const r = await run(path.join(BIN, 'deno'), ['test', '-A', '--config', 'deno.json'],
    { check: false, cwd: dir, echo: options.echo ?? true, env: { ...process.env, ...env, NO_COLOR: '1' } });
  // Deno colours its output whenever FORCE_COLOR is set (even to 0), whatever NO_COLOR says.
  // eslint-disable-next-line no-control-regex -- ESC starts the colour codes this strips
  const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '');
  const m = /(\d+) passed[^\n]*?\| (\d+) failed/.exec(out);
  if (!m) return { layer: 'Deno', passed: 0, failed: 1, note: `deno test printed no summary (exit ${r.code})` };
  const problems: string[] = [];
  const ignored = out.split('\n').filter((l) => /\.\.\. ignored\b/.test(l));
  for (const l of ignored) problems.push(`ignored (counted as failed): ${l.trim()}`);
  const ran = new Map([...out.matchAll(/^running (\d+) tests? from \.\/(\S+)$/gm)].map((x) => [x[2], Number(x[1])]));
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'deno.json'), 'utf8')) as { test?: { include?: string[] } };
  const modules = findFiles(dir, config.test?.include ?? ['**/*_test.ts', '**/*.test.ts']);
  let short = 0;
  for (const module of modules) {
    const declared = Math.max(1, declaredTests(path.join(dir, module), 'deno'));
    const count = ran.get(module) ?? 0;
    if (count < declared) {
      short += 1;
      problems.push(`${module} ran ${count} tests but declares at least ${declared}`);
    }
  }
  if (modules.length === 0) { short += 1; problems.push(`no test modules in ${dir}`); }
  report(problems, options);
  const failed = Number(m[2]) + ignored.length + short;
  return withExitCode({ layer: 'Deno', passed: Number(m[1]), failed, note: `${modules.length} modules`,
    files: modules.map((f) => path.join(dir, f)) }, r.code, 'deno test', options);
}
