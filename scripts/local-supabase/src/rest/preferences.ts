// The request headers that shape a PostgREST response: Prefer (with Preference-Applied and
// max-affected), Accept (singular object; other media types are refused),
// Range, and the limit/offset query parameters.
import type { IncomingMessage } from 'node:http';
import { header } from '../http.ts';
import { restError, type RestError } from './errors.ts';
import { unsupported } from './unsupported.ts';

/** One value per preference kind, the first one given winning (PostgREST's Preferences.hs). */
export interface Preferences {
  returnMode: 'minimal' | 'representation' | 'headers-only' | undefined;
  count: 'exact' | 'planned' | 'estimated' | undefined;
  resolution: 'merge-duplicates' | 'ignore-duplicates' | undefined;
  missingDefault: boolean;
  /** `tx=commit|rollback`, only when db-tx-end allows an override (`supabase start` does not). */
  tx: 'commit' | 'rollback' | undefined;
  /** Whether the transaction ends in ROLLBACK: `tx=rollback`, or db-tx-end `rollback*` without `tx=commit`. */
  rollback: boolean;
  handling: 'strict' | 'lenient' | undefined;
  maxAffected: number | undefined;
  /** The accepted preferences, by kind, as they are echoed in Preference-Applied. */
  values: Partial<Record<PreferenceKind, string>>;
}

export type PreferenceKind = 'resolution' | 'missing' | 'return' | 'count' | 'tx' | 'handling' | 'max-affected';

const ACCEPTED: Record<string, PreferenceKind> = {
  'resolution=merge-duplicates': 'resolution', 'resolution=ignore-duplicates': 'resolution',
  'missing=default': 'missing', 'missing=null': 'missing',
  'return=representation': 'return', 'return=minimal': 'return', 'return=headers-only': 'return',
  'count=exact': 'count', 'count=planned': 'count', 'count=estimated': 'count',
  'tx=commit': 'tx', 'tx=rollback': 'tx',
  'handling=strict': 'handling', 'handling=lenient': 'handling',
};

/** Preference-Applied lists these in this order (PostgREST's prefAppliedHeader). */
const APPLIED_ORDER: PreferenceKind[] = ['resolution', 'missing', 'return', 'count', 'tx', 'handling', 'max-affected'];

/**
 * Parses `Prefer` as PostgREST does: comma-separated items, the first of each kind wins, unknown
 * items are ignored unless `handling=strict` (then 400 PGRST122). `txEnd` is PostgREST's db-tx-end.
 */
export function parsePrefer(req: IncomingMessage, txEnd = 'commit'): Preferences {
  const items = (header(req, 'prefer') ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
  const values: Preferences['values'] = {};
  const invalid: string[] = [];
  let maxAffected: number | undefined;
  let maxAffectedSeen = false;
  const overridable = txEnd.endsWith('-allow-override');
  for (const item of items) {
    const kind = ACCEPTED[item];
    if (item === 'params=single-object') throw unsupported('`Prefer: params=single-object`');
    if (item.startsWith('timezone=')) throw unsupported('`Prefer: timezone=…`');
    if (item.startsWith('max-affected=')) {
      if (!maxAffectedSeen) {
        maxAffectedSeen = true;
        const text = item.slice('max-affected='.length);
        // A value that is not an integer is an invalid preference: refused under handling=strict
        // (PGRST122) like any other, never silently dropped with the limit it was meant to set.
        if (/^-?\d{1,18}$/.test(text)) maxAffected = Number(text);
        else invalid.push(item);
      }
      continue;
    }
    if (kind === undefined) { invalid.push(item); continue; }
    if (kind === 'tx' && !overridable) continue;
    values[kind] ??= item;
  }
  const handling = values.handling?.slice('handling='.length) as Preferences['handling'];
  if (handling === 'strict' && invalid.length > 0) {
    throw restError(400, 'PGRST122', 'Invalid preferences given with handling=strict', `Invalid preferences: ${invalid.join(', ')}`);
  }
  if (handling === 'strict' && maxAffected !== undefined) values['max-affected'] = `max-affected=${maxAffected}`;
  const tx = values.tx?.slice('tx='.length) as Preferences['tx'];
  return {
    returnMode: values.return?.slice('return='.length) as Preferences['returnMode'],
    count: values.count?.slice('count='.length) as Preferences['count'],
    resolution: values.resolution?.slice('resolution='.length) as Preferences['resolution'],
    missingDefault: values.missing === 'missing=default',
    tx,
    rollback: tx === 'rollback' || (txEnd.startsWith('rollback') && tx !== 'commit'),
    handling,
    maxAffected: handling === 'strict' ? maxAffected : undefined,
    values,
  };
}

/** `Preference-Applied` for the kinds an action honours (reads: count, tx, handling; …), if any. */
export function preferenceApplied(prefs: Preferences, kinds: PreferenceKind[]): Record<string, string> {
  const applied = APPLIED_ORDER.filter((kind) => kinds.includes(kind)).map((kind) => prefs.values[kind]).filter((v) => v !== undefined);
  return applied.length > 0 ? { 'Preference-Applied': applied.join(', ') } : {};
}

/** Prefer: max-affected=N with handling=strict: more affected rows is 400 PGRST124 (and a rollback). */
export function exceedsMaxAffected(prefs: Preferences, rows: number): boolean {
  return prefs.maxAffected !== undefined && rows > prefs.maxAffected;
}

export function maxAffectedError(rows: number): RestError {
  return restError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', `The query affects ${rows} rows`);
}

export function wantsSingleObject(req: IncomingMessage): boolean {
  const accept = header(req, 'accept') ?? '';
  // `supabase start` leaves db-plan-enabled off, so its PostgREST answers the plan media type the same way.
  if (/vnd\.pgrst\.plan/.test(accept)) throw restError(406, 'PGRST107', `None of these media types are available: ${accept}`);
  if (/text\/csv/.test(accept)) throw unsupported('CSV responses (`Accept: text/csv`, `.csv()`)', 406);
  if (/nulls=stripped/.test(accept)) throw unsupported('stripped nulls (`Accept: …;nulls=stripped`, `.stripNulls()`)', 406);
  if (/application\/geo\+json/.test(accept)) throw unsupported('GeoJSON responses (`Accept: application/geo+json`, `.geojson()`)', 406);
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
