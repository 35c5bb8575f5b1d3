// Realtime's postgres_changes filters (`col=op.value`, several joined by top-level commas,
// optional `not.`), evaluated against a change's typed JSON record. Operators: eq, neq, lt, lte,
// gt, gte, in (the set realtime-js offers), plus is. Values compare as numbers when the record
// holds a number, as booleans for booleans, otherwise as text.
import { parseList, splitTopLevel, unquote } from '../rest/query-syntax.ts';

export interface ChangeFilter {
  column: string;
  operator: 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'is';
  values: string[];
  negate: boolean;
}

const OPERATORS = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'is']);

export class FilterError extends Error {}

export function parseChangeFilter(text: string | undefined): ChangeFilter[] {
  if (!text || text.trim() === '') return [];
  return splitTopLevel(text).map((segment) => {
    const match = /^([^=]+)=(not\.)?([a-z]+)\.(.*)$/s.exec(segment.trim());
    if (!match || !OPERATORS.has(match[3])) throw new FilterError(`Error parsing \`filter\` params: ${segment}`);
    const operator = match[3] as ChangeFilter['operator'];
    let values: string[];
    if (operator === 'in') {
      const list = parseList(match[4]);
      if (!list || list.length > 100) throw new FilterError(`Error parsing \`filter\` params: ${segment}`);
      values = list;
    } else {
      values = [unquote(match[4])];
    }
    if (operator === 'is' && !['null', 'true', 'false', 'unknown'].includes(values[0].toLowerCase())) {
      throw new FilterError(`Error parsing \`filter\` params: ${segment}`);
    }
    return { column: match[1].trim(), operator, values, negate: Boolean(match[2]) };
  });
}

function compare(actual: unknown, expected: string): number | undefined {
  if (typeof actual === 'number') {
    const n = Number(expected);
    return Number.isNaN(n) ? undefined : actual - n;
  }
  if (typeof actual === 'boolean') return actual === (expected.toLowerCase() === 'true' || expected === 't') ? 0 : 1;
  const text = typeof actual === 'string' ? actual : JSON.stringify(actual);
  return text < expected ? -1 : text > expected ? 1 : 0;
}

function holds(filter: ChangeFilter, record: Record<string, unknown>): boolean {
  const actual = record[filter.column];
  if (filter.operator === 'is') {
    const want = filter.values[0].toLowerCase();
    if (want === 'null' || want === 'unknown') return actual === null;
    return actual === (want === 'true');
  }
  if (filter.operator === 'in') return filter.values.some((v) => compare(actual, v) === 0);
  const c = compare(actual, filter.values[0]);
  if (c === undefined) return false;
  switch (filter.operator) {
    case 'eq': return c === 0;
    case 'neq': return c !== 0;
    case 'lt': return c < 0;
    case 'lte': return c <= 0;
    case 'gt': return c > 0;
    default: return c >= 0;
  }
}

/** A filter on an absent column, or a comparison with a null value, never matches (as in SQL). */
export function recordMatches(filters: ChangeFilter[], record: Record<string, unknown>): boolean {
  return filters.every((f) => {
    if (!(f.column in record)) return false;
    if (record[f.column] === null && f.operator !== 'is') return false;
    return holds(f, record) !== f.negate;
  });
}
