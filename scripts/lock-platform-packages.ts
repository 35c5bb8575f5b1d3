// Records in package-lock.json the platform binary packages the registry does not serve, so that
// `npm ci` accepts the lockfile. Run it after `npm install` changes the Supabase CLI's version:
//   npx tsx scripts/lock-platform-packages.ts
// Each entry gets the exact version its parent pins and the os/cpu/libc its name encodes
// (`@supabase/cli-darwin-arm64`, `-linux-x64-musl`, `-windows-x64`), so npm skips it on every
// other platform. It has no integrity hash: on its own platform npm fetches it from the registry.
import fs from 'node:fs';
import { LOCKFILE, missingOptionalDependencies, readLockfile, type LockEntry } from './lib/lockfile.ts';
import { run } from './lib/run.ts';
import { ROOT } from './lib/config.ts';

const OS: Record<string, string> = { darwin: 'darwin', linux: 'linux', windows: 'win32', win32: 'win32' };

function platformOf(name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> {
  const m = /-(darwin|linux|windows|win32)-(arm64|x64)(-musl)?$/.exec(name);
  if (!m) throw new Error(`${name}: cannot tell its platform from its name; record it by hand`);
  const libc = m[1] === 'linux' ? [m[3] ? 'musl' : 'glibc'] : undefined;
  return { os: [OS[m[1]]], cpu: [m[2]], ...(libc ? { libc } : {}) };
}

async function main(): Promise<void> {
  const lock = readLockfile();
  const missing = missingOptionalDependencies(lock);
  for (const { parent, name, spec } of missing) {
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) throw new Error(`${parent} wants ${name}@${spec}: only exact versions can be recorded`);
    lock.packages[`node_modules/${name}`] = { version: spec, optional: true, ...platformOf(name) };
    console.log(`recorded ${name}@${spec} (optional dependency of ${parent.replace(/^node_modules\//, '')})`);
  }
  if (missing.length === 0) { console.log('package-lock.json already records every optional dependency'); return; }
  fs.writeFileSync(LOCKFILE, `${JSON.stringify(lock, null, 2)}\n`);
  // npm puts the new entries in its own order and marks them dev/optional like their parent.
  await run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
