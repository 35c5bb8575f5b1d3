// POST (insert / upsert), PATCH (update) and DELETE on a table, with PostgREST's Prefer
// semantics (return=minimal|representation, resolution=merge|ignore-duplicates, count, tx as
// db-tx-end allows, max-affected with handling=strict on update/delete) and Preference-Applied.
// Rows go through json_populate_recordset, so Postgres does all value parsing.
import type pg from 'pg';
import { quoteIdent, type Table } from './schema-cache.ts';
import { filtersFromQuery, whereSql } from './filters.ts';
import { selectSql } from './select-order.ts';
import { exceedsMaxAffected, maxAffectedError, parsePrefer, preferenceApplied, wantsSingleObject, type PreferenceKind, type Preferences } from './preferences.ts';
import { SqlParams } from './sql-params.ts';
import { inRequestTransaction } from './transaction.ts';
import { restError } from './errors.ts';
import { splitTopLevel, unquote } from './query-syntax.ts';
import { TABLE_RESERVED } from './read.ts';
import { contextOf, jsonBody, JSON_TYPE, singularError, unwrapSingle, type RestRequest, type RestResponse } from './request.ts';

interface MutationResult { rows: number; body: string | undefined }

function columnNotFound(table: Table, name: string): never {
  throw restError(400, 'PGRST204', `Could not find the '${name}' column of '${table.name}' in the schema cache`);
}

function checkedColumns(table: Table, names: string[]): string[] {
  for (const name of names) if (!table.columns.has(name)) columnNotFound(table, name);
  return names;
}

function objectRows(body: unknown): Record<string, unknown>[] {
  const rows = Array.isArray(body) ? body : [body];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw restError(400, 'PGRST102', 'All object keys must match');
    }
  }
  return rows as Record<string, unknown>[];
}

/** Runs `statement` (which may use `returning`) and reports rows + JSON body when wanted. */
async function runMutation(client: pg.PoolClient, statement: string, returning: string | undefined, params: SqlParams): Promise<MutationResult> {
  if (returning === undefined) {
    const result = await client.query(statement, params.values);
    return { rows: result.rowCount ?? 0, body: undefined };
  }
  const sql = `with pgrst_mutation as (${statement} returning ${returning})
    select count(_t)::int as rows, coalesce(json_agg(_t), '[]')::text as body from (select * from pgrst_mutation) _t`;
  const { rows } = await client.query<{ rows: number; body: string }>(sql, params.values);
  return rows[0];
}

/** What a write honours beyond insert's basics: update and delete also check max-affected. */
interface WriteKind { createdStatus: 201 | 200; appliedKinds: PreferenceKind[]; checksMaxAffected: boolean }
const INSERT: WriteKind = { createdStatus: 201, appliedKinds: ['resolution', 'missing', 'return', 'count', 'tx', 'handling'], checksMaxAffected: false };
const UPDATE_OR_DELETE: WriteKind = { createdStatus: 200, appliedKinds: ['missing', 'return', 'count', 'tx', 'handling', 'max-affected'], checksMaxAffected: true };

async function execute(request: RestRequest, prefs: Preferences, build: (params: SqlParams, returning: string | undefined) => string | undefined, table: Table, kind: WriteKind): Promise<RestResponse> {
  const single = wantsSingleObject(request.req);
  const representation = prefs.returnMode === 'representation';
  const returning = representation ? selectSql(request.query.get('select'), table.columns, table.name, request.cache.settings()) : undefined;
  const params = new SqlParams();
  const statement = build(params, returning);
  const tooMany = (rows: number): boolean => kind.checksMaxAffected && exceedsMaxAffected(prefs, rows);
  const result: MutationResult = statement === undefined
    ? { rows: 0, body: representation ? '[]' : undefined }
    : await inRequestTransaction(request.pool, contextOf(request, false),
      (client) => runMutation(client, statement, returning, params),
      { rollback: (r) => prefs.rollback || (single && r.rows !== 1) || tooMany(r.rows) });
  if (single && result.rows !== 1) throw singularError(result.rows);
  if (tooMany(result.rows)) throw maxAffectedError(result.rows);
  const headers: Record<string, string> = {
    'Content-Range': `*/${prefs.count ? result.rows : '*'}`,
    ...preferenceApplied(prefs, kind.appliedKinds),
  };
  const created = kind.createdStatus === 201;
  if (!representation || result.body === undefined) return { status: created ? 201 : 204, headers };
  return { status: created ? 201 : 200, body: single ? unwrapSingle(result.body) : result.body, headers: { ...headers, ...JSON_TYPE } };
}

export async function insertRows(request: RestRequest, table: Table): Promise<RestResponse> {
  const prefs = parsePrefer(request.req, request.cache.settings().txEnd);
  const rows = objectRows(jsonBody(request));
  const columnsParam = request.query.get('columns');
  const names = columnsParam
    ? splitTopLevel(columnsParam).map(unquote)
    : [...new Set(rows.flatMap((row) => Object.keys(row)))];
  checkedColumns(table, names);
  const onConflictParam = request.query.get('on_conflict');
  const conflict = onConflictParam ? checkedColumns(table, splitTopLevel(onConflictParam).map(unquote)) : table.primaryKey;
  const target = `public.${quoteIdent(table.name)}`;
  return execute(request, prefs, (params) => {
    if (rows.length === 0) return undefined;
    let statement: string;
    if (names.length === 0) {
      if (rows.length !== 1) throw restError(400, 'PGRST102', 'Rows without columns can only be inserted one at a time');
      statement = `insert into ${target} default values`;
    } else {
      const cols = names.map(quoteIdent).join(', ');
      statement = prefs.missingDefault
        ? `insert into ${target} (${cols}) values ${rows.map((row) => defaultsRow(row, names, target, params)).join(', ')}`
        : `insert into ${target} (${cols}) select ${cols} from json_populate_recordset(null::${target}, ${params.add(JSON.stringify(rows))}::json)`;
    }
    if (prefs.resolution && conflict.length > 0) {
      const conflictCols = conflict.map(quoteIdent).join(', ');
      // Every inserted column is set again, the conflict columns too (PostgREST's mutatePlanToQuery):
      // an upsert of only the key still touches (and returns) the existing row.
      const updates = names.map((n) => `${quoteIdent(n)} = excluded.${quoteIdent(n)}`);
      statement += prefs.resolution === 'ignore-duplicates' || updates.length === 0
        ? ` on conflict (${conflictCols}) do nothing`
        : ` on conflict (${conflictCols}) do update set ${updates.join(', ')}`;
    }
    return statement;
  }, table, INSERT);
}

/** `Prefer: missing=default`: keys a row lacks take the column DEFAULT instead of NULL. */
function defaultsRow(row: Record<string, unknown>, names: string[], target: string, params: SqlParams): string {
  const value = params.add(JSON.stringify(row));
  const cells = names.map((n) => (n in row ? `(select ${quoteIdent(n)} from json_populate_record(null::${target}, ${value}::json))` : 'default'));
  return `(${cells.join(', ')})`;
}

/** Supabase preloads `safeupdate`: UPDATE/DELETE without a filter is refused (21000 → 400). */
function requireFilter(where: string, verb: 'UPDATE' | 'DELETE'): void {
  if (where === '') throw restError(400, '21000', `${verb} requires a WHERE clause`);
}

export async function updateRows(request: RestRequest, table: Table): Promise<RestResponse> {
  const prefs = parsePrefer(request.req, request.cache.settings().txEnd);
  const body = jsonBody(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw restError(400, 'PGRST102', 'Empty or invalid json');
  const names = checkedColumns(table, Object.keys(body));
  const target = `public.${quoteIdent(table.name)}`;
  return execute(request, prefs, (params) => {
    const where = whereSql(filtersFromQuery(request.query, TABLE_RESERVED), table.columns, table.name, params);
    requireFilter(where, 'UPDATE');
    if (names.length === 0) return undefined;
    const values = params.add(JSON.stringify(body));
    const sets = names.map((n) => `${quoteIdent(n)} = (select ${quoteIdent(n)} from json_populate_record(null::${target}, ${values}::json))`);
    return `update ${target} set ${sets.join(', ')}${where}`;
  }, table, UPDATE_OR_DELETE);
}

export async function deleteRows(request: RestRequest, table: Table): Promise<RestResponse> {
  const prefs = parsePrefer(request.req, request.cache.settings().txEnd);
  const target = `public.${quoteIdent(table.name)}`;
  return execute(request, prefs, (params) => {
    const where = whereSql(filtersFromQuery(request.query, TABLE_RESERVED), table.columns, table.name, params);
    requireFilter(where, 'DELETE');
    return `delete from ${target}${where}`;
  }, table, UPDATE_OR_DELETE);
}
