// Ports, paths and connection strings of the local stack, in one place.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LOCAL_DIR = path.join(ROOT, '.local');
export const PGDATA = path.join(LOCAL_DIR, 'pgdata');
export const PG_RUN_DIR = path.join(LOCAL_DIR, 'pgrun');
export const PG_BIN = '/usr/lib/postgresql/15/bin';

export const DB_PORT = Number(process.env.STACK_DB_PORT ?? 54322);
// Overridable so a second stack (e.g. `npm test` next to `npm start`) can run beside the first.
export const API_PORT = Number(process.env.STACK_API_PORT ?? 54321);
export const WEB_PORT = Number(process.env.STACK_WEB_PORT ?? 5173);
export const DB_HOST = '127.0.0.1';
export const DB_PASSWORD = 'postgres';

export function dbUrl(database = 'postgres', user = 'postgres'): string {
  return `postgresql://${user}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${database}`;
}

export const API_URL = `http://127.0.0.1:${API_PORT}`;
export const WEB_URL = `http://127.0.0.1:${WEB_PORT}`;

/** Where e-mailed links lead: config.toml's site_url, unless the SPA was moved with STACK_WEB_PORT. */
export const SITE_URL_OVERRIDE = process.env.STACK_WEB_PORT ? WEB_URL : undefined;
