// `npm test` as a declared list: each entry either starts something later entries need (Postgres,
// the seeded database, the API, the SPA) or runs one test layer and reports its counts. The list is the plan: its
// length numbers the progress lines, and an entry whose needs did not come up is not run but
// counted as one failure, so a broken set-up can never make the suite look smaller and green.
import { Steps } from './steps.ts';
import type { LayerResult } from './layers.ts';

/** What a set-up entry brings up for the entries after it. */
export type Need = 'postgres' | 'db' | 'api' | 'web';

interface Entry {
  title: string;
  /** Set-up entries this one cannot run without. */
  needs?: Need[];
}

/** Brings up `provides`; a failure is reported and the entries that need it fail as not run. */
export interface SetupEntry extends Entry { provides: Need; start: () => Promise<void> }
/** One test layer: its counts go into the final `N passed, N failed`. */
export interface LayerEntry extends Entry { run: () => Promise<LayerResult> }
export type PlanEntry = SetupEntry | LayerEntry;

export interface PlanOptions {
  prefix?: string;
  /** Called after each layer with everything reported so far (the last check reads them). */
  onResult?: (result: LayerResult) => void;
}

/** Runs the entries in order; returns one result per layer entry, never throws. */
export async function runPlan(plan: PlanEntry[], options: PlanOptions = {}): Promise<LayerResult[]> {
  const steps = new Steps(plan.length, options.prefix ?? '');
  const up = new Set<Need>();
  const results: LayerResult[] = [];
  for (const entry of plan) {
    const missing = (entry.needs ?? []).filter((n) => !up.has(n));
    if ('provides' in entry) {
      try {
        if (missing.length > 0) throw new Error(`needs ${missing.join(', ')}, which did not start`);
        await steps.run(entry.title, entry.start);
        up.add(entry.provides);
      } catch (error) {
        up.delete(entry.provides); // a failed rebuild leaves no database fit for the layers after it
        console.error(`${entry.title}: ${(error as Error).message}`);
      }
      continue;
    }
    let result: LayerResult;
    try {
      if (missing.length > 0) throw new Error(`needs ${missing.join(', ')}, which did not start`);
      result = await steps.run(entry.title, entry.run);
    } catch (error) {
      console.error(`${entry.title}: ${(error as Error).message}`);
      result = { layer: entry.title, passed: 0, failed: 1, note: 'did not run' };
    }
    results.push(result);
    options.onResult?.(result);
    console.log(`    ${result.layer}: ${result.passed} passed, ${result.failed} failed${result.note ? ` (${result.note})` : ''}`);
  }
  return results;
}
