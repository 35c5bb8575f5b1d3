// GET/HEAD on a table or view: select, filters, order, limit/offset/Range, exact counts and
// singular objects, with PostgREST's Content-Range and status codes. Counts: exact, planned (the
// planner's estimate) and estimated (exact up to max_rows, else planned), as PostgREST counts.
import { quoteIdent, type Table } from './schema-cache.ts';
import { filtersFromQuery, whereSql } from './filters.ts';
import { orderSql, selectSql } from './select-order.ts';
import type pg from 'pg';
import { parsePage, parsePrefer, preferenceApplied, wantsSingleObject } from './preferences.ts';
import { SqlParams } from './sql-params.ts';
import { inRequestTransaction } from './transaction.ts';
import { restError } from './errors.ts';
import { contextOf, JSON_TYPE, singularError, unwrapSingle, type RestRequest, type RestResponse } from './request.ts';

export const TABLE_RESERVED = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict']);

export function contentRange(offset: number, rows: number, total: number | undefined): string {
  const totalText = total === undefined ? '*' : String(total);
  return rows === 0 ? `*/${totalText}` : `${offset}-${offset + rows - 1}/${totalText}`;
}

/** `Prefer: count=planned`: the planner's row estimate for the filtered table, as PostgREST reads it from EXPLAIN. */
async function plannedCount(client: pg.PoolClient, countSql: string, values: unknown[]): Promise<number> {
  const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(`explain (format json) ${countSql}`, values);
  return Number(rows[0]['QUERY PLAN'][0].Plan['Plan Rows']);
}

export async function readTable(request: RestRequest, table: Table): Promise<RestResponse> {
  const prefs = parsePrefer(request.req, request.cache.settings().txEnd);
  const single = wantsSingleObject(request.req);
  const page = parsePage(request.req, request.query, request.maxRows);
  const params = new SqlParams();
  const select = selectSql(request.query.get('select'), table.columns, table.name, request.cache.settings());
  const where = whereSql(filtersFromQuery(request.query, TABLE_RESERVED), table.columns, table.name, params);
  const order = orderSql(request.query.get('order'), table.columns, table.name);
  const from = `public.${quoteIdent(table.name)}`;
  const total = prefs.count === 'exact' || prefs.count === 'estimated' ? `(select count(*) from ${from}${where})` : 'null';
  const sql = `
    with pgrst_source as (select ${select} from ${from}${where}${order} limit ${page.limit ?? 'all'} offset ${page.offset})
    select ${total}::bigint as total, count(_t)::int as rows, coalesce(json_agg(_t), '[]')::text as body
    from (select * from pgrst_source) _t`;
  const result = await inRequestTransaction(request.pool, contextOf(request, true), async (client) => {
    const { rows } = await client.query<{ total: string | null; rows: number; body: string }>(sql, params.values);
    if (prefs.count !== 'planned' && prefs.count !== 'estimated') return rows[0];
    const planned = await plannedCount(client, `select 1 from ${from}${where}`, params.values);
    // estimated: the exact count up to max_rows, the planner's estimate beyond (PostgREST's rule).
    return { ...rows[0], total: prefs.count === 'estimated' && planned <= request.maxRows ? rows[0].total : String(planned) };
  });
  const totalCount = result.total === null ? undefined : Number(result.total);
  if (single && result.rows !== 1) throw singularError(result.rows);
  if (totalCount !== undefined && page.offset > 0 && page.offset > totalCount) {
    throw restError(416, 'PGRST103', 'Requested range not satisfiable', `An offset of ${page.offset} was requested, but there are only ${totalCount} rows.`);
  }
  const partial = totalCount !== undefined && result.rows < totalCount && !single;
  const headers = {
    ...JSON_TYPE, 'Content-Range': contentRange(page.offset, result.rows, totalCount),
    ...preferenceApplied(prefs, ['count', 'tx', 'handling']),
  };
  const body = single ? unwrapSingle(result.body) : result.body;
  return { status: partial ? 206 : 200, body: request.method === 'HEAD' ? undefined : body, headers };
}
