// Reads package-lock.json (lockfileVersion 3) and finds the optional dependencies it fails to
// record. npm drops an optional dependency whose manifest the registry will not serve (here: the
// Supabase CLI's binaries for other platforms), and `npm ci` then refuses the whole lockfile
// ("Missing: @supabase/cli-darwin-arm64@ from lock file").
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './config.ts';

export interface LockEntry {
  version?: string;
  /** A workspace package: `node_modules/<name>` links to the folder `resolved`. */
  link?: boolean;
  resolved?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
export interface Lockfile { lockfileVersion: number; packages: Record<string, LockEntry> }

export const LOCKFILE = path.join(ROOT, 'package-lock.json');

export function readLockfile(file = LOCKFILE): Lockfile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Lockfile;
}

/** The lockfile key `name` resolves to from the package at `from`, as Node's resolution walks up. */
export function resolveInLock(lock: Lockfile, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

export interface MissingOptional { parent: string; name: string; spec: string }

/** Every optional dependency of a locked package that has no entry `npm ci` could match. */
export function missingOptionalDependencies(lock: Lockfile): MissingOptional[] {
  const missing: MissingOptional[] = [];
  for (const [parent, entry] of Object.entries(lock.packages)) {
    for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      if (!resolveInLock(lock, parent, name)) missing.push({ parent, name, spec });
    }
  }
  return missing;
}
