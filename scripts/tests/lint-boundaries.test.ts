// The lint layer can fail: ESLint, run with the repo's eslint.config.js on small sources placed at
// paths inside web/src, reports an import across the SPA's boundaries and accepts the allowed ones.
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../lib/config.ts';

let eslint: ESLint;
beforeAll(() => { eslint = new ESLint({ cwd: ROOT }); });

/** The rule ids ESLint reports for `source` as if it were the file at `file` (relative to the repo root). */
async function ruleIds(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const BOUNDARY = 'import-x/no-restricted-paths';

describe('eslint.config.js boundaries', () => {
  it('a feature importing another feature is an error', async () => {
    expect(await ruleIds('web/src/billing/Probe.tsx', "import { CostTable } from '../interviews/index.ts';\nexport const probe = CostTable;\n"))
      .toEqual([BOUNDARY]);
  });

  it('a feature importing app/ is an error, outside its tests', async () => {
    const source = "import { AppRoutes } from '../app/AppRoutes.tsx';\nexport const probe = AppRoutes;\n";
    expect(await ruleIds('web/src/interviews/Probe.tsx', source)).toEqual([BOUNDARY]);
    expect(await ruleIds('web/src/interviews/Probe.test.tsx', source)).toEqual([]);
  });

  it('a test of a feature still may not import another feature', async () => {
    expect(await ruleIds('web/src/auth/Probe.test.tsx', "import { useBilling } from '../billing/index.ts';\nexport const probe = useBilling;\n"))
      .toEqual([BOUNDARY]);
  });

  it('lib/ and ui/ import no feature', async () => {
    expect(await ruleIds('web/src/ui/Probe.tsx', "import { useAuth } from '../auth/index.ts';\nexport const probe = useAuth;\n"))
      .toEqual([BOUNDARY]);
  });

  it('nothing in web/src imports scripts/', async () => {
    expect(await ruleIds('web/src/lib/Probe.ts', "import { ROOT } from '../../../scripts/lib/config.ts';\nexport const probe = ROOT;\n"))
      .toEqual([BOUNDARY]);
  });

  it('a feature may import itself, lib/ and ui/; app/ may import features', async () => {
    const feature = [
      "import { useBilling } from './useBilling.ts';",
      "import { formatCredits } from '../lib/format.ts';",
      "import { ErrorMessage } from '../ui/ErrorMessage.tsx';",
      'export const probe = [useBilling, formatCredits, ErrorMessage];',
    ].join('\n');
    expect(await ruleIds('web/src/billing/Probe.tsx', feature)).toEqual([]);
    const app = "import { useBilling } from '../billing/index.ts';\nimport { CostTable } from '../interviews/index.ts';\nexport const probe = [useBilling, CostTable];\n";
    expect(await ruleIds('web/src/app/Probe.tsx', app)).toEqual([]);
  });
});

describe('npm run lint', () => {
  it('runs ESLint on the whole repository', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.lint).toBe('eslint .');
  });
});
