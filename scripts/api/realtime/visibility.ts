// Whether one subscriber may see one changed row, decided by Postgres: as the subscriber's role
// with its JWT claims (so RLS policies and grants apply), does `select … where pk = …` find it?
// This mirrors Realtime's apply_rls (walrus) check.
import type pg from 'pg';
import { quoteIdent } from '../rest/schema-cache.ts';
import type { WalColumn } from './change-feed.ts';

export interface Subscriber {
  role: string;
  claims: Record<string, unknown>;
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

  /** INSERT/UPDATE: the new row must be selectable under RLS. No primary key → not delivered. */
  async rowVisible(subscriber: Subscriber, schema: string, table: string, pk: WalColumn[], record: Record<string, unknown>): Promise<boolean> {
    if (pk.length === 0) return false;
    const conditions = pk.map((column, i) => `${quoteIdent(column.name)} = $${i + 1}`).join(' and ');
    const values = pk.map((column) => {
      const value = record[column.name];
      return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
    });
    try {
      return await this.asSubscriber(subscriber, async (client) => {
        const { rows } = await client.query<{ visible: boolean }>(
          `select exists(select 1 from ${quoteIdent(schema)}.${quoteIdent(table)} where ${conditions}) as visible`, values);
        return rows[0]?.visible === true;
      });
    } catch {
      // No SELECT grant (42501) or a bad claim: the subscriber does not get the change.
      return false;
    }
  }

  /** DELETE: the row is gone, so (as in Realtime) only table SELECT privilege is required. */
  async tableReadable(subscriber: Subscriber, schema: string, table: string): Promise<boolean> {
    try {
      return await this.asSubscriber(subscriber, async (client) => {
        const { rows } = await client.query<{ readable: boolean }>(
          `select has_table_privilege(current_user, format('%I.%I', $1::text, $2::text), 'SELECT') as readable`, [schema, table]);
        return rows[0]?.readable === true;
      });
    } catch {
      return false;
    }
  }
}
