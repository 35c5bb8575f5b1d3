// Turns wal2json column values into Realtime's payload: typed JSON values exactly as Postgres
// casts them (Realtime's `realtime.cast(text, type)` = to_jsonb(value::type)), and the column list
// with pg_type names (`int4`, `timestamptz`, `_text`) that realtime-js converts by.
import type pg from 'pg';
import { quoteIdent } from '../rest/schema-cache.ts';
import type { WalColumn } from './change-feed.ts';

export class RecordCaster {
  private typeNames = new Map<number, string>();

  constructor(private readonly pool: pg.Pool) {}

  async columnTypes(columns: WalColumn[]): Promise<{ name: string; type: string }[]> {
    const missing = [...new Set(columns.map((c) => c.typeoid).filter((oid): oid is number => oid !== undefined && !this.typeNames.has(oid)))];
    if (missing.length > 0) {
      const { rows } = await this.pool.query<{ oid: number; typname: string }>('select oid::int as oid, typname from pg_catalog.pg_type where oid = any($1::oid[])', [missing]);
      for (const row of rows) this.typeNames.set(row.oid, row.typname);
    }
    return columns.map((c) => ({ name: c.name, type: (c.typeoid !== undefined ? this.typeNames.get(c.typeoid) : undefined) ?? c.type }));
  }

  /** {column: typed JSON value} for the columns present in the WAL record. */
  async record(schema: string, table: string, columns: WalColumn[]): Promise<Record<string, unknown>> {
    if (columns.length === 0) return {};
    const input: Record<string, unknown> = {};
    for (const column of columns) input[column.name] = column.value ?? null;
    // schema/table come from the WAL (the catalog), never from a client.
    const { rows } = await this.pool.query<{ record: Record<string, unknown> }>(
      `select to_jsonb(r) as record from json_populate_record(null::${quoteIdent(schema)}.${quoteIdent(table)}, $1::json) r`,
      [JSON.stringify(input)]);
    const typed = rows[0]?.record ?? {};
    return Object.fromEntries(columns.map((c) => [c.name, c.name in typed ? typed[c.name] : input[c.name]]));
  }
}
