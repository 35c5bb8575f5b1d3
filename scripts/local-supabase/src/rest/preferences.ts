// The request headers that shape a PostgREST response: Prefer, Accept (singular object),
// Range, and the limit/offset query parameters.
import type { IncomingMessage } from 'node:http';
import { header } from '../http.ts';
import { restError } from './errors.ts';

export interface Preferences {
  returnMode: 'minimal' | 'representation' | 'headers-only' | undefined;
  count: 'exact' | undefined;
  resolution: 'merge-duplicates' | 'ignore-duplicates' | undefined;
  missingDefault: boolean;
  rollback: boolean;
  applied: string[];
}

export function parsePrefer(req: IncomingMessage): Preferences {
  const prefs: Preferences = { returnMode: undefined, count: undefined, resolution: undefined, missingDefault: false, rollback: false, applied: [] };
  for (const raw of (header(req, 'prefer') ?? '').split(',')) {
    const item = raw.trim();
    if (item === 'return=minimal' || item === 'return=representation' || item === 'return=headers-only') {
      prefs.returnMode = item.slice('return='.length) as Preferences['returnMode'];
    } else if (/^count=(exact|planned|estimated)$/.test(item)) {
      // planned/estimated are answered with an exact count: the local tables are small.
      prefs.count = 'exact';
    } else if (item === 'resolution=merge-duplicates' || item === 'resolution=ignore-duplicates') {
      prefs.resolution = item.slice('resolution='.length) as Preferences['resolution'];
    } else if (item === 'missing=default') {
      prefs.missingDefault = true;
    } else if (item === 'tx=rollback') {
      prefs.rollback = true;
    } else {
      continue;
    }
    prefs.applied.push(item);
  }
  return prefs;
}

export function wantsSingleObject(req: IncomingMessage): boolean {
  const accept = header(req, 'accept') ?? '';
  if (/text\/csv|application\/geo\+json|vnd\.pgrst\.plan/.test(accept)) {
    throw restError(406, 'PGRST107', `None of these media types are available: ${accept}`);
  }
  return accept.includes('application/vnd.pgrst.object+json');
}

export interface Page {
  limit: number | undefined;
  offset: number;
}

function nonNegativeInt(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw restError(400, 'PGRST100', `"failed to parse ${name} parameter (${value})"`);
  return Number(value);
}

/** limit/offset from the query string, else from a `Range: from-to` header; capped at max_rows. */
export function parsePage(req: IncomingMessage, query: URLSearchParams, maxRows: number): Page {
  let limit: number | undefined;
  let offset = 0;
  const range = /^\s*(\d+)-(\d*)\s*$/.exec(header(req, 'range') ?? '');
  if (range) {
    offset = Number(range[1]);
    if (range[2] !== '') limit = Math.max(0, Number(range[2]) - offset + 1);
  }
  const limitParam = query.get('limit');
  const offsetParam = query.get('offset');
  if (limitParam !== null) limit = nonNegativeInt('limit', limitParam);
  if (offsetParam !== null) offset = nonNegativeInt('offset', offsetParam);
  limit = limit === undefined ? maxRows : Math.min(limit, maxRows);
  return { limit, offset };
}
