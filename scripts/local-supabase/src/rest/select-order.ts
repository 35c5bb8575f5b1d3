// The vertical part of a PostgREST query: `select=` column lists (with `alias:` and simple
// `::type` casts) and `order=` terms, checked against the schema cache.
import type { Column } from './schema-cache.ts';
import { quoteIdent } from './schema-cache.ts';
import { restError } from './errors.ts';
import { splitTopLevel } from './query-syntax.ts';

/** Casts end up in the SQL text, so only these built-in type names are accepted. */
const CASTABLE_TYPES = new Set([
  'text', 'varchar', 'char', 'int', 'int2', 'int4', 'int8', 'integer', 'smallint', 'bigint', 'numeric', 'float4',
  'float8', 'real', 'bool', 'boolean', 'json', 'jsonb', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval',
]);

export function selectSql(select: string | null, columns: Map<string, Column>, tableName: string): string {
  const text = (select ?? '*').trim();
  if (text === '' || text === '*') return '*';
  const items = splitTopLevel(text).map((raw) => raw.trim()).filter((raw) => raw !== '');
  return items.map((item) => {
    if (item === '*') return '*';
    if (item.includes('(')) {
      throw restError(400, 'PGRST100', `"failed to parse select parameter (${item})": embedded resources and aggregates are not supported by the local API`);
    }
    let rest = item;
    let alias: string | undefined;
    const colon = /^([^:]+):(?!:)(.*)$/.exec(rest);
    if (colon) { alias = colon[1]; rest = colon[2]; }
    let cast: string | undefined;
    const castAt = rest.indexOf('::');
    if (castAt >= 0) { cast = rest.slice(castAt + 2); rest = rest.slice(0, castAt); }
    const name = rest.replace(/^"(.*)"$/, '$1');
    const column = columns.get(name);
    if (!column) throw restError(400, '42703', `column ${tableName}.${name} does not exist`);
    if (cast !== undefined && !CASTABLE_TYPES.has(cast.toLowerCase())) throw restError(400, 'PGRST100', `"failed to parse select parameter (${item})": unsupported cast`);
    const expr = cast ? `${quoteIdent(column.name)}::${cast.toLowerCase()}` : quoteIdent(column.name);
    return alias || cast ? `${expr} as ${quoteIdent(alias ?? column.name)}` : expr;
  }).join(', ');
}

export function orderSql(order: string | null, columns: Map<string, Column>, tableName: string): string {
  if (!order) return '';
  const terms = splitTopLevel(order).map((term) => {
    const [rawName, ...modifiers] = term.trim().split('.');
    const name = rawName.replace(/^"(.*)"$/, '$1');
    const column = columns.get(name);
    if (!column) throw restError(400, '42703', `column ${tableName}.${name} does not exist`);
    const parts = [quoteIdent(column.name)];
    for (const modifier of modifiers) {
      const sql = { asc: 'asc', desc: 'desc', nullsfirst: 'nulls first', nullslast: 'nulls last' }[modifier];
      if (!sql) throw restError(400, 'PGRST100', `"failed to parse order (${term})"`);
      parts.push(sql);
    }
    return parts.join(' ');
  });
  return ` order by ${terms.join(', ')}`;
}
