// The packages TypeScript sources import, found by reading the import statements (no compiler:
// static `import`/`export ... from`, side-effect `import '...'` and `import('...')`).
// `import type` statements are skipped: the compiler erases them, so they ship nothing.
import fs from 'node:fs';
import path from 'node:path';

const FROM = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?[^'";]*?\s*from\s*['"]([^'"]+)['"]/g;
const BARE = /(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
const SOURCE = /\.(ts|tsx|mts)$/;

/** Module specifiers a file loads at run time (or, with `types`, also those it reads types from). */
export function runtimeSpecifiers(source: string, types = false): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(FROM)) if (types || !m[2]) out.push(m[3]);
  for (const m of source.matchAll(BARE)) out.push(m[1]);
  for (const m of source.matchAll(DYNAMIC)) out.push(m[1]);
  return out;
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; undefined for relative paths and `node:` builtins. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]
    .find((f) => SOURCE.test(f) && fs.existsSync(f) && fs.statSync(f).isFile());
}

/** Packages reachable at run time from `entry` through its relative imports (what a bundle of it ships). */
export function bundledPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeSpecifiers(fs.readFileSync(file, 'utf8'))) {
      const name = packageName(specifier);
      if (name) packages.add(name);
      else if (specifier.startsWith('.')) {
        const next = resolveRelative(file, specifier);
        if (next) queue.push(next);
      }
    }
  }
  return packages;
}

/**
 * Every package imported (types included) by the TypeScript files under `dirs`, leaving out the
 * folders in `skip` (workspace packages, which declare their own dependencies).
 */
export function importedPackages(dirs: string[], skip: string[] = []): Map<string, string> {
  const firstUse = new Map<string, string>();
  for (const dir of dirs) {
    for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (!SOURCE.test(rel) || rel.split(path.sep).includes('node_modules')) continue;
      const file = path.join(dir, rel);
      if (skip.some((s) => file.startsWith(`${s}${path.sep}`))) continue;
      for (const specifier of runtimeSpecifiers(fs.readFileSync(file, 'utf8'), true)) {
        const name = packageName(specifier);
        if (name && !firstUse.has(name)) firstUse.set(name, file);
      }
    }
  }
  return firstUse;
}
