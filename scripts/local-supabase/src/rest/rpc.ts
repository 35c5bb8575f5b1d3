// /rpc/<fn>: calls a function of the exposed schema with named arguments, the way PostgREST
// does: pick the overload whose parameter names match the given keys, feed the arguments
// through json_to_record with the catalog's types, and shape the result (void → 204, scalar →
// bare JSON, set → array with optional filters/order/limit). Prefer tx (as db-tx-end allows) and
// max-affected (set-returning functions only, PGRST128 otherwise) as PostgREST honours them.
import { quoteIdent, type DbFunction } from './schema-cache.ts';
import { filtersFromQuery, parseCondition, whereSql } from './filters.ts';
import { orderSql, selectSql } from './select-order.ts';
import { exceedsMaxAffected, maxAffectedError, parsePage, parsePrefer, preferenceApplied, wantsSingleObject } from './preferences.ts';
import { SqlParams } from './sql-params.ts';
import { inRequestTransaction } from './transaction.ts';
import { restError } from './errors.ts';
import { contextOf, jsonBody, JSON_TYPE, singularError, unwrapSingle, type RestRequest, type RestResponse } from './request.ts';

const RPC_RESERVED = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict', 'or', 'and', 'not.or', 'not.and']);

function looksLikeFilter(value: string): boolean {
  try {
    parseCondition('x', value);
    return true;
  } catch {
    return false;
  }
}

function isSingleJsonParam(fn: DbFunction): boolean {
  return fn.args.length === 1 && fn.args[0].name === '' && (fn.args[0].type === 'json' || fn.args[0].type === 'jsonb');
}

function notFound(name: string, keys: string[], overloads: DbFunction[]): never {
  const sorted = [...keys].sort();
  const withParams = sorted.length > 0 ? `with parameters ${sorted.join(', ')}` : 'without parameters';
  const hint = overloads.length > 0
    ? `Perhaps you meant to call the function public.${name}(${overloads[0].args.map((a) => a.name).join(', ')})`
    : null;
  throw restError(404, 'PGRST202', `Could not find the function public.${name}(${sorted.join(', ')}) in the schema cache`,
    `Searched for the function public.${name} ${withParams} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`, hint);
}

interface Call { fn: DbFunction; args: Record<string, unknown>; wholeBody: unknown; filterQuery: URLSearchParams }

async function resolveCall(request: RestRequest, name: string): Promise<Call> {
  const overloads = await request.cache.functionOverloads(name);
  const argNames = new Set(overloads.flatMap((fn) => fn.args.map((a) => a.name)));
  const filterQuery = new URLSearchParams();
  let args: Record<string, unknown> = {};
  let body: unknown = {};
  if (request.method === 'GET' || request.method === 'HEAD') {
    for (const [key, value] of request.query) {
      if (RPC_RESERVED.has(key)) continue;
      if (!argNames.has(key) && looksLikeFilter(value)) filterQuery.append(key, value);
      else args[key] = value;
    }
  } else {
    body = jsonBody(request, {});
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) args = body as Record<string, unknown>;
    for (const [key, value] of request.query) if (!RPC_RESERVED.has(key)) filterQuery.append(key, value);
  }
  const keys = Object.keys(args);
  const matches = overloads.filter((fn) =>
    keys.every((k) => fn.args.some((a) => a.name === k)) && fn.args.every((a) => a.hasDefault || keys.includes(a.name)));
  const isObjectBody = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (matches.length === 0 || !isObjectBody) {
    const jsonFn = request.method === 'POST' ? overloads.find(isSingleJsonParam) : undefined;
    if (jsonFn) return { fn: jsonFn, args: {}, wholeBody: body, filterQuery };
    if (!isObjectBody) throw restError(400, 'PGRST102', 'Empty or invalid json');
    notFound(name, keys, overloads);
  }
  if (matches.length > 1) {
    throw restError(300, 'PGRST203', `Could not choose the best candidate function between: ${matches.map((fn) => `public.${name}(${fn.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`).join(', ')}`,
      null, 'Try renaming the parameters or the function itself in the database so function overloading can be resolved');
  }
  return { fn: matches[0], args, wholeBody: undefined, filterQuery };
}

/** `from <args source>, lateral public.fn(...) pgrst_call` */
function callSource(call: Call, params: SqlParams): string {
  const fnIdent = `public.${quoteIdent(call.fn.name)}`;
  if (call.wholeBody !== undefined) {
    return `${fnIdent}(${params.add(JSON.stringify(call.wholeBody))}::${call.fn.args[0].type}) pgrst_call`;
  }
  const provided = call.fn.args.filter((a) => a.name in call.args);
  if (provided.length === 0) return `${fnIdent}() pgrst_call`;
  const record = provided.map((a) => `${quoteIdent(a.name)} ${a.type}`).join(', ');
  const namedArgs = provided.map((a) => `${quoteIdent(a.name)} := pgrst_body.${quoteIdent(a.name)}`).join(', ');
  return `json_to_record(${params.add(JSON.stringify(call.args))}::json) as pgrst_body(${record}), lateral ${fnIdent}(${namedArgs}) pgrst_call`;
}

export async function callRpc(request: RestRequest, name: string): Promise<RestResponse> {
  const prefs = parsePrefer(request.req, request.cache.settings().txEnd);
  const single = wantsSingleObject(request.req);
  const call = await resolveCall(request, name);
  const { fn } = call;
  if (prefs.maxAffected !== undefined && !fn.returnsSet) {
    throw restError(400, 'PGRST128', 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict');
  }
  const params = new SqlParams();
  const source = callSource(call, params);
  let sql: string;
  if (fn.returnsVoid) {
    sql = `select null::int as rows, null::text as body from ${source}`;
  } else if (!fn.returnsSet) {
    sql = `select 1 as rows, to_json(pgrst_call)::text as body from ${source}`;
  } else {
    const scalarSet = fn.resultColumns.size === 0;
    const where = scalarSet ? '' : whereSql(filtersFromQuery(call.filterQuery, new Set()), fn.resultColumns, name, params);
    const order = scalarSet ? '' : orderSql(request.query.get('order'), fn.resultColumns, name);
    const page = parsePage(request.req, request.query, request.maxRows);
    const projection = scalarSet ? 'pgrst_call' : 'pgrst_call.*';
    const element = scalarSet ? '_t.pgrst_call' : '_t';
    const select = scalarSet ? '*' : selectSql(request.query.get('select'), fn.resultColumns, name, request.cache.settings());
    sql = `select count(_t)::int as rows, coalesce(json_agg(${element}), '[]')::text as body
      from (select ${select} from (select ${projection} from ${source}) pgrst_result${where}${order} limit ${page.limit ?? 'all'} offset ${page.offset}) _t`;
  }
  const readOnly = request.method === 'GET' || request.method === 'HEAD' || fn.volatility !== 'v';
  const result = await inRequestTransaction(request.pool, contextOf(request, readOnly), async (client) => {
    const { rows } = await client.query<{ rows: number | null; body: string | null }>(sql, params.values);
    return rows[0] ?? { rows: 0, body: 'null' };
  }, { rollback: (r) => prefs.rollback || (single && fn.returnsSet && r.rows !== 1) || exceedsMaxAffected(prefs, r.rows ?? 0) });
  const applied = preferenceApplied(prefs, ['count', 'tx', 'handling', 'max-affected']);
  if (fn.returnsVoid) return { status: 204, headers: applied };
  if (single && fn.returnsSet && result.rows !== 1) throw singularError(result.rows ?? 0);
  if (exceedsMaxAffected(prefs, result.rows ?? 0)) throw maxAffectedError(result.rows ?? 0);
  const body = single && fn.returnsSet ? unwrapSingle(result.body ?? '[]') : (result.body ?? 'null');
  const headers: Record<string, string> = { ...JSON_TYPE, ...applied };
  if (fn.returnsSet) headers['Content-Range'] = result.rows ? `0-${result.rows - 1}/*` : '*/*';
  return { status: 200, body: request.method === 'HEAD' ? undefined : body, headers };
}
