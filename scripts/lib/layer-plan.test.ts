// The declared plan of `npm test` runs what it lists and nothing looks green that did not run:
// a layer whose set-up failed, or that throws, counts as one failure, and every layer is reported.
import { describe, expect, it, vi } from 'vitest';
import { runPlan, type PlanEntry } from './layer-plan.ts';

const ok = (layer: string) => async () => ({ layer, passed: 2, failed: 0 });
const quiet = <T>(work: () => Promise<T>): Promise<T> => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return work().finally(() => { log.mockRestore(); error.mockRestore(); write.mockRestore(); });
};

describe('runPlan', () => {
  it('runs every entry in order and returns one result per layer', async () => {
    const order: string[] = [];
    const plan: PlanEntry[] = [
      { title: 'start db', provides: 'db', start: async () => { order.push('db'); } },
      { title: 'a', needs: ['db'], run: async () => { order.push('a'); return ok('a')(); } },
      { title: 'b', run: async () => { order.push('b'); return ok('b')(); } },
    ];
    const results = await quiet(() => runPlan(plan));
    expect(order).toEqual(['db', 'a', 'b']);
    expect(results.map((r) => [r.layer, r.passed, r.failed])).toEqual([['a', 2, 0], ['b', 2, 0]]);
  });

  it('does not run a layer whose set-up failed, and counts it as one failure', async () => {
    const ran = vi.fn(ok('needs api'));
    const plan: PlanEntry[] = [
      { title: 'start api', provides: 'api', start: async () => { throw new Error('port taken'); } },
      { title: 'needs api', needs: ['api'], run: ran },
      { title: 'needs nothing', run: ok('needs nothing') },
    ];
    const results = await quiet(() => runPlan(plan));
    expect(ran).not.toHaveBeenCalled();
    expect(results).toEqual([
      { layer: 'needs api', passed: 0, failed: 1, note: 'did not run' },
      { layer: 'needs nothing', passed: 2, failed: 0 },
    ]);
  });

  it('a failed rebuild takes away what an earlier set-up provided', async () => {
    const plan: PlanEntry[] = [
      { title: 'build', provides: 'db', start: async () => undefined },
      { title: 'rebuild', provides: 'db', start: async () => { throw new Error('migration failed'); } },
      { title: 'needs db', needs: ['db'], run: ok('needs db') },
    ];
    expect(await quiet(() => runPlan(plan))).toEqual([{ layer: 'needs db', passed: 0, failed: 1, note: 'did not run' }]);
  });

  it('a layer that throws is one failure, and reports each result as it comes', async () => {
    const seen: string[] = [];
    const plan: PlanEntry[] = [
      { title: 'throws', run: async () => { throw new Error('runner missing'); } },
      { title: 'fine', run: ok('fine') },
    ];
    const results = await quiet(() => runPlan(plan, { onResult: (r) => seen.push(r.layer) }));
    expect(results.map((r) => r.failed)).toEqual([1, 0]);
    expect(seen).toEqual(['throws', 'fine']);
  });

  it('numbers its progress lines by the length of the plan', async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { lines.push(String(chunk)); return true; });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await runPlan([{ title: 'one', run: ok('one') }, { title: 'two', run: ok('two') }, { title: 'three', run: ok('three') }], { prefix: 'test ' });
    } finally { write.mockRestore(); log.mockRestore(); }
    expect(lines.filter((l) => l.endsWith('...\n'))).toEqual(['test [1/3] one ...\n', 'test [2/3] two ...\n', 'test [3/3] three ...\n']);
  });
});
