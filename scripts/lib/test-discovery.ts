// What the test layers are expected to run, read from the files on disk rather than from a
// number someone has to keep up to date: which test files exist, and how many tests each one
// declares at least.
import fs from 'node:fs';
import path from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.local', '.git']);

/** `**` / `*` globs (the subset our configs use) as a regular expression over `/`-separated paths. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) { source += '(?:.*/)?'; i += 2; } else if (c === '*') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Files under dir (relative, `/`-separated) matching any of the globs; build output and dependencies excluded. */
export function findFiles(dir: string, globs: string[]): string[] {
  const patterns = globs.map(globToRegExp);
  const found: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(child);
      } else if (patterns.some((p) => p.test(child))) {
        found.push(child);
      }
    }
  };
  walk('');
  return found.sort();
}

const DECLARATIONS = {
  // it( / test( and their modifiers (it.skip(, test.concurrent( ...), not .each or someone.it(.
  vitest: /(?<![\w.$])(?:it|test)(?:\.(?:skip|only|todo|concurrent|sequential|fails))*\(/g,
  deno: /\bDeno\.test(?:\.(?:ignore|only))?\(/g,
};

/**
 * The least number of tests a file can run: its test declarations outside comments. A loop may
 * declare more at run time, never fewer, so a report below this lost tests (an empty list, a
 * condition that was false).
 */
export function declaredTests(file: string, runner: keyof typeof DECLARATIONS): number {
  const code = fs.readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*(\/\/|\/?\*)/.test(line)).join('\n');
  return code.match(DECLARATIONS[runner])?.length ?? 0;
}
