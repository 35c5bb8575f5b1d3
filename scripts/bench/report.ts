// The benchmark's output: one table on stdout and the same figures as JSON in
// bench-results/latest.json, with the machine they were measured on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../lib/config.ts';

export interface Row {
  section: string;
  measure: string;
  value: string;
  baseline?: string;
  ratio?: number;
  note?: string;
}

export interface Results {
  startedAt: string;
  machine: { cpus: number; model: string; memoryGb: number; node: string };
  rows: Row[];
  details: Record<string, unknown>;
}

export function machine(): Results['machine'] {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

export function printTable(rows: Row[]): void {
  const header: Row = { section: 'benchmark', measure: 'measure', value: 'value', baseline: 'baseline', note: 'note' };
  const cells = (r: Row): string[] => [r.section, r.measure, r.value, r.baseline ?? '', r === header ? 'ratio' : r.ratio === undefined ? '' : r.ratio.toFixed(2), r.note ?? ''];
  const all = [header, ...rows].map(cells);
  const widths = all[0].map((_, i) => Math.max(...all.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((v, i) => v.padEnd(widths[i])).join(' | ').trimEnd();
  console.log(line(all[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of all.slice(1)) console.log(line(c));
}

export function writeJson(results: Results): string {
  const dir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
