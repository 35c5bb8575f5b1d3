// PostgREST horizontal filters (`col=op.value`, `not.`, `or=(…)`, `and=(…)`) turned into SQL
// with positional parameters. Columns are checked against the schema cache; values are cast to
// the column's catalog type so Postgres parses them (bad input → 22P02 → HTTP 400).
import type { Column } from './schema-cache.ts';
import { quoteIdent } from './schema-cache.ts';
import { restError } from './errors.ts';
import { parseList, splitTopLevel, unquote } from './query-syntax.ts';
import type { SqlParams } from './sql-params.ts';
import { rejectJsonPath } from './select-order.ts';
import { unsupported } from './unsupported.ts';

export type FilterNode =
  | { kind: 'condition'; column: string; operator: string; value: string; negate: boolean }
  | { kind: 'and' | 'or'; children: FilterNode[]; negate: boolean };

const COMPARISONS: Record<string, string> = {
  eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=',
  like: 'like', ilike: 'ilike', match: '~', imatch: '~*', cs: '@>', cd: '<@', ov: '&&',
};
const OPERATORS = new Set([...Object.keys(COMPARISONS), 'in', 'is', 'isdistinct']);
/** PostgREST operators the stand-in does not serve, by the feature they belong to. */
const UNSERVED_OPERATORS: Record<string, string> = {
  fts: 'full-text search (`fts`, `plfts`, `phfts`, `wfts`; `.textSearch()`)',
  plfts: 'full-text search (`fts`, `plfts`, `phfts`, `wfts`; `.textSearch()`)',
  phfts: 'full-text search (`fts`, `plfts`, `phfts`, `wfts`; `.textSearch()`)',
  wfts: 'full-text search (`fts`, `plfts`, `phfts`, `wfts`; `.textSearch()`)',
  sl: 'range operators (`sl`, `sr`, `nxl`, `nxr`, `adj`)',
  sr: 'range operators (`sl`, `sr`, `nxl`, `nxr`, `adj`)',
  nxl: 'range operators (`sl`, `sr`, `nxl`, `nxr`, `adj`)',
  nxr: 'range operators (`sl`, `sr`, `nxl`, `nxr`, `adj`)',
  adj: 'range operators (`sl`, `sr`, `nxl`, `nxr`, `adj`)',
};

function parseFailure(text: string): never {
  throw restError(400, 'PGRST100', `"failed to parse filter (${text})" (line 1, column 1)`, null, null);
}

/** `not.eq.5` / `eq.5` for column `col`. */
export function parseCondition(column: string, expression: string): FilterNode {
  let rest = expression;
  let negate = false;
  if (rest.startsWith('not.')) { negate = true; rest = rest.slice(4); }
  const dot = rest.indexOf('.');
  const operator = dot < 0 ? rest : rest.slice(0, dot);
  rejectJsonPath(column, 'filters');
  const base = operator.replace(/\(.*$/, '');
  if (UNSERVED_OPERATORS[base]) throw unsupported(UNSERVED_OPERATORS[base]);
  if (/^\w+\((any|all)\)$/.test(operator) && OPERATORS.has(base)) throw unsupported(`the \`(any)\` / \`(all)\` operator modifiers (\`${operator}\`)`);
  if (!OPERATORS.has(operator) || dot < 0) parseFailure(expression);
  return { kind: 'condition', column, operator, value: rest.slice(dot + 1), negate };
}

/** The `(a.eq.1,or(b.gt.2,c.is.null))` body of an `or=` / `and=` parameter. */
export function parseLogic(kind: 'and' | 'or', body: string, negate = false): FilterNode {
  const text = body.trim();
  if (!text.startsWith('(') || !text.endsWith(')')) parseFailure(body);
  const children = splitTopLevel(text.slice(1, -1)).map((item): FilterNode => {
    const part = item.trim();
    const logic = /^(not\.)?(and|or)(\(.*\))$/s.exec(part);
    if (logic) return parseLogic(logic[2] as 'and' | 'or', logic[3], Boolean(logic[1]));
    const dot = part.indexOf('.');
    if (dot <= 0) parseFailure(part);
    return parseCondition(part.slice(0, dot), part.slice(dot + 1));
  });
  return { kind, children, negate };
}

function likePattern(value: string): string {
  return value.replaceAll('*', '%');
}

function conditionSql(node: Extract<FilterNode, { kind: 'condition' }>, columns: Map<string, Column>, tableName: string, params: SqlParams): string {
  const column = columns.get(node.column);
  if (!column) throw restError(400, '42703', `column ${tableName}.${node.column} does not exist`);
  const ident = quoteIdent(column.name);
  let sql: string;
  switch (node.operator) {
    case 'is': {
      const value = node.value.toLowerCase();
      const keyword = { null: 'null', not_null: 'not null', true: 'true', false: 'false', unknown: 'unknown' }[value];
      if (!keyword) parseFailure(`${node.column}.is.${node.value}`);
      sql = `${ident} is ${keyword}`;
      break;
    }
    case 'in': {
      const list = parseList(node.value);
      if (!list) parseFailure(`${node.column}.in.${node.value}`);
      sql = list.length === 0 ? 'false' : `${ident} = any(${params.add(list)}::${column.type}[])`;
      break;
    }
    case 'isdistinct':
      sql = `${ident} is distinct from ${params.add(unquote(node.value))}::${column.type}`;
      break;
    case 'like':
    case 'ilike':
    case 'match':
    case 'imatch': {
      const value = node.operator.endsWith('like') ? likePattern(node.value) : node.value;
      sql = `${ident}::text ${COMPARISONS[node.operator]} ${params.add(value)}`;
      break;
    }
    default:
      sql = `${ident} ${COMPARISONS[node.operator]} ${params.add(unquote(node.value))}::${column.type}`;
  }
  return node.negate ? `not (${sql})` : sql;
}

export function filterSql(node: FilterNode, columns: Map<string, Column>, tableName: string, params: SqlParams): string {
  if (node.kind === 'condition') return conditionSql(node, columns, tableName, params);
  const parts = node.children.map((child) => `(${filterSql(child, columns, tableName, params)})`);
  const sql = parts.length === 0 ? 'true' : parts.join(node.kind === 'and' ? ' and ' : ' or ');
  return node.negate ? `not (${sql})` : `(${sql})`;
}

/** All filters of a query string except the reserved parameters (and rpc argument names). */
export function filtersFromQuery(query: URLSearchParams, skip: Set<string>): FilterNode[] {
  const nodes: FilterNode[] = [];
  for (const [key, value] of query) {
    if (skip.has(key)) continue;
    if (key === 'or' || key === 'and') nodes.push(parseLogic(key, value));
    else if (key === 'not.or' || key === 'not.and') nodes.push(parseLogic(key.slice(4) as 'and' | 'or', value, true));
    else if (key.includes('->')) rejectJsonPath(key, 'filters');
    else if (key.includes('.')) throw unsupported(`filters, order or limits on embedded resources (\`${key}=…\`)`);
    else nodes.push(parseCondition(key, value));
  }
  return nodes;
}

export function whereSql(nodes: FilterNode[], columns: Map<string, Column>, tableName: string, params: SqlParams): string {
  if (nodes.length === 0) return '';
  return ` where ${nodes.map((n) => filterSql(n, columns, tableName, params)).join(' and ')}`;
}
