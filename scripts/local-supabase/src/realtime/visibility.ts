// Whether one subscriber may see one change, and which of its columns, decided by Postgres in a
// transaction as the subscriber's role with its JWT claims (so RLS policies and grants apply).
// Like Realtime's apply_rls (walrus) the row is looked up by primary key; unlike a bare lookup,
// the current row must also still equal the WAL image in every column we deliver, so a row that
// changed hands (or content) since is never sent as its older image to its new reader.
import type pg from 'pg';
import { quoteIdent } from '../rest/schema-cache.ts';
import type { WalColumn } from './change-feed.ts';

export interface Subscriber {
  role: string;
  claims: Record<string, unknown>;
}

/** The columns the subscriber may read in the payload, or null: the change is not delivered. */
export type Visibility = ReadonlySet<string> | null;

const JSON_TYPE_OIDS = new Set([114, 3802]);

/** wal2json sends json/jsonb values as their text; json_populate_record would keep that a string. */
function isJsonColumn(column: WalColumn): boolean {
  return column.typeoid !== undefined ? JSON_TYPE_OIDS.has(column.typeoid) : column.type === 'json' || column.type === 'jsonb';
}

/** SQL that is true when the current row `t` holds the WAL image's value of `column` (`w`, or $1 as json). */
function sameValue(column: WalColumn): string {
  const name = quoteIdent(column.name);
  const literal = column.name.replaceAll("'", "''");
  // Compared as jsonb, which every type has (json, point, … have no `=` operator).
  return isJsonColumn(column)
    ? `to_jsonb(t.${name}) is not distinct from ($1::json ->> '${literal}')::jsonb`
    : `to_jsonb(t.${name}) is not distinct from to_jsonb(w.${name})`;
}

function walInput(columns: WalColumn[]): string {
  return JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, c.value ?? null])));
}

export class VisibilityChecker {
  constructor(private readonly pool: pg.Pool) {}

  private async asSubscriber<T>(subscriber: Subscriber, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin read only');
      await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
        [subscriber.role, JSON.stringify(subscriber.claims)]);
      return await work(client);
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
  }

  /** Column-level SELECT grants: which of `names` the current role may read. */
  private async readableColumns(client: pg.PoolClient, schema: string, table: string, names: string[]): Promise<Set<string>> {
    const { rows } = await client.query<{ name: string }>(
      `select name from unnest($3::text[]) as name
       where has_column_privilege(format('%I.%I', $1::text, $2::text), name, 'SELECT')`, [schema, table, names]);
    return new Set(rows.map((r) => r.name));
  }

  /**
   * INSERT/UPDATE: the row must be selectable under RLS and still equal the WAL image in every
   * column the subscriber may read; only those columns are delivered. No primary key, or a
   * primary key the subscriber cannot read → not delivered.
   */
  async rowVisible(subscriber: Subscriber, schema: string, table: string, pk: WalColumn[], columns: WalColumn[]): Promise<Visibility> {
    if (pk.length === 0) return null;
    const target = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    try {
      return await this.asSubscriber(subscriber, async (client) => {
        const readable = await this.readableColumns(client, schema, table, columns.map((c) => c.name));
        if (pk.some((column) => !readable.has(column.name))) return null;
        const keyMatch = pk.map((column) => `t.${quoteIdent(column.name)} = w.${quoteIdent(column.name)}`);
        const imageMatch = columns.filter((column) => readable.has(column.name)).map(sameValue);
        const { rows } = await client.query<{ visible: boolean }>(
          `select exists(
             select 1 from ${target} as t, json_populate_record(null::${target}, $1::json) as w
             where ${[...keyMatch, ...imageMatch].join(' and ')}) as visible`, [walInput(columns)]);
        return rows[0]?.visible === true ? readable : null;
      });
    } catch {
      // A bad claim, a column dropped since, or no privilege at all: the subscriber does not get it.
      return null;
    }
  }

  /** DELETE: the row is gone, so (as in Realtime) only the privilege to read its key is required. */
  async deletionVisible(subscriber: Subscriber, schema: string, table: string, identity: WalColumn[]): Promise<Visibility> {
    if (identity.length === 0) return null;
    try {
      return await this.asSubscriber(subscriber, async (client) => {
        const readable = await this.readableColumns(client, schema, table, identity.map((c) => c.name));
        return readable.size > 0 ? readable : null;
      });
    } catch {
      return null;
    }
  }
}
