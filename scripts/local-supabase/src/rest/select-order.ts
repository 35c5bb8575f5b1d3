// The vertical part of a PostgREST query: `select=` column lists (with `alias:` and simple
// `::type` casts) and `order=` terms, checked against the schema cache.
import type { Column } from './schema-cache.ts';
import { quoteIdent } from './schema-cache.ts';
import { restError } from './errors.ts';
import { splitTopLevel } from './query-syntax.ts';
import type { PgrstSettings } from './schema-cache.ts';
import { unsupported } from './unsupported.ts';

const AGGREGATE = /(^|\.)(count|sum|avg|min|max)\(\s*\)/;

/** JSON paths (`col->a`, `col->>a`) anywhere a column may be named: not served here. */
export function rejectJsonPath(text: string, where: string): void {
  if (text.includes('->')) throw unsupported(`JSON paths (\`->\` / \`->>\`) in ${where} (\`${text}\`)`);
}

/**
 * Select items the stand-in does not serve. Aggregates answer what `supabase start` answers
 * (db-aggregates-enabled is off there: 400 PGRST123) unless the database turned them on.
 */
function rejectUnservedItem(item: string, settings: PgrstSettings): void {
  if (item.startsWith('...')) throw unsupported(`spread embedded resources (\`${item}\`)`);
  if (AGGREGATE.test(item)) {
    if (!settings.aggregatesEnabled) throw restError(400, 'PGRST123', 'Use of aggregate functions is not allowed');
    throw unsupported(`aggregate functions (\`${item}\`)`);
  }
  if (item.includes('(')) throw unsupported(`embedded resources (\`select=${item}\`)`);
  rejectJsonPath(item, 'select');
}

/** Casts end up in the SQL text, so only these built-in type names are accepted. */
const CASTABLE_TYPES = new Set([
  'text', 'varchar', 'char', 'int', 'int2', 'int4', 'int8', 'integer', 'smallint', 'bigint', 'numeric', 'float4',
  'float8', 'real', 'bool', 'boolean', 'json', 'jsonb', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval',
]);

export function selectSql(select: string | null, columns: Map<string, Column>, tableName: string, settings: PgrstSettings): string {
  const text = (select ?? '*').trim();
  if (text === '' || text === '*') return '*';
  const items = splitTopLevel(text).map((raw) => raw.trim()).filter((raw) => raw !== '');
  return items.map((item) => {
    if (item === '*') return '*';
    rejectUnservedItem(item, settings);
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
    if (term.includes('(')) throw unsupported(`ordering by an embedded resource (\`order=${term.trim()}\`)`);
    rejectJsonPath(term.trim(), 'order');
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
