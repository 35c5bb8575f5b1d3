// Reproducible installs: `npm ci` accepts the lockfile on a clean clone, what is installed is what
// is locked, and `dependencies` holds exactly what the SPA bundle ships (everything else is dev).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../lib/config.ts';
import { missingOptionalDependencies, readLockfile, type Lockfile } from '../lib/lockfile.ts';
import { bundledPackages, importedPackages, runtimeSpecifiers } from '../lib/imports.ts';
import { run } from '../lib/run.ts';

interface Manifest {
  dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string>; workspaces?: string[];
}
const manifest = (file: string): Manifest => JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
const pkg = manifest(path.join(ROOT, 'package.json'));
const WORKSPACES = pkg.workspaces ?? [];

describe('package-lock.json', () => {
  it('records every optional dependency of every locked package (npm ci refuses it otherwise)', () => {
    expect(missingOptionalDependencies(readLockfile())).toEqual([]);
  });

  it('the check finds an optional platform package the lockfile lacks', () => {
    const lock: Lockfile = { lockfileVersion: 3, packages: {
      '': {},
      'node_modules/supabase': { version: '3.1.0', optionalDependencies: { '@supabase/cli-linux-x64': '3.1.0', '@supabase/cli-darwin-arm64': '3.1.0' } },
      'node_modules/@supabase/cli-linux-x64': { version: '3.1.0' },
    } };
    expect(missingOptionalDependencies(lock)).toEqual([{ parent: 'node_modules/supabase', name: '@supabase/cli-darwin-arm64', spec: '3.1.0' }]);
  });

  it('npm ci accepts it (a dry run, offline)', async () => {
    const r = await run('npm', ['ci', '--dry-run', '--offline', '--include=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT, check: false });
    expect(`${r.stderr}`.match(/Missing: .*|Invalid: .*/g) ?? []).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('every installed package is the locked version, and nothing this platform needs is missing', () => {
    const wrong: string[] = [];
    for (const [key, entry] of Object.entries(readLockfile().packages)) {
      if (!key) continue;
      if (entry.link) {
        // A workspace package: installed as a link to its folder, which holds its version.
        const target = fs.existsSync(path.join(ROOT, key)) ? fs.realpathSync(path.join(ROOT, key)) : 'nothing';
        if (target !== path.join(ROOT, entry.resolved ?? '')) wrong.push(`${key}: links to ${target}, locked ${entry.resolved}`);
        continue;
      }
      const installedManifest = path.join(ROOT, key, 'package.json');
      if (!fs.existsSync(installedManifest)) {
        if (!entry.optional) wrong.push(`${key}: not installed`);
        continue;
      }
      const installed = (JSON.parse(fs.readFileSync(installedManifest, 'utf8')) as { version: string }).version;
      if (installed !== entry.version) wrong.push(`${key}: installed ${installed}, locked ${entry.version}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('package.json', () => {
  it('dependencies are exactly the packages the SPA bundle imports', () => {
    const html = fs.readFileSync(path.join(ROOT, 'web/index.html'), 'utf8');
    const entry = /<script type="module" src="\/([^"]+)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const shipped = [...bundledPackages(path.join(ROOT, 'web', entry!))].sort();
    expect(shipped).toContain('react');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(shipped);
  });

  it('every package our TypeScript imports is declared, in dependencies or devDependencies', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies ?? {})]);
    const undeclared = [...importedPackages(['scripts', 'supabase/tests', 'web', 'test-support'].map((d) => path.join(ROOT, d)), WORKSPACES.map((w) => path.join(ROOT, w)))]
      .filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (${path.relative(ROOT, file)})`);
    expect(undeclared).toEqual([]);
  });

  // tools/eslint holds the TypeScript 6 that typescript-eslint's parser needs; the project's tsc is 7.
  const OWN_VERSION_ON_PURPOSE: Record<string, string[]> = { 'tools/eslint': ['typescript'] };

  it('each workspace package declares every package its own TypeScript imports', () => {
    expect(WORKSPACES).toEqual(['scripts/local-supabase', 'tools/eslint']);
    for (const workspace of WORKSPACES) {
      const own = manifest(path.join(ROOT, workspace, 'package.json'));
      const declared = new Set([...Object.keys(own.dependencies ?? {}), ...Object.keys(own.devDependencies ?? {})]);
      const undeclared = [...importedPackages([path.join(ROOT, workspace)])]
        .filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (${path.relative(ROOT, file)})`);
      expect(undeclared, workspace).toEqual([]);
      // A workspace asks for the versions the root locks, so npm installs each package once.
      for (const [name, range] of Object.entries({ ...own.dependencies, ...own.devDependencies })) {
        const rootRange = pkg.dependencies[name] ?? pkg.devDependencies[name];
        if (rootRange && !OWN_VERSION_ON_PURPOSE[workspace]?.includes(name)) expect(range, `${workspace}: ${name}`).toBe(rootRange);
      }
    }
  });

  it('has the scripts a Vite project is driven by, each through the set-up script', () => {
    for (const name of ['start', 'dev', 'build', 'preview', 'test']) {
      expect(pkg.scripts[name], name).toMatch(/^bash scripts\/bootstrap\.sh /);
    }
  });
});

describe('runtimeSpecifiers', () => {
  it('skips type-only imports and keeps side-effect and dynamic ones', () => {
    const source = "import type { A } from 'types-only';\nimport { b } from 'lib-b';\nexport { c } from './c.ts';\nimport './side.css';\nconst d = await imp" + "ort('lib-d');"; // split so this file's own scan does not see it
    expect(runtimeSpecifiers(source).sort()).toEqual(['./c.ts', './side.css', 'lib-b', 'lib-d']);
  });
});
