// Realtime Authorization for private channels, done as Realtime does it
// (lib/realtime/tenants/authorization.ex): in a transaction that is always rolled back, a probe
// row per extension is written for the topic, then, as the user's role with `request.jwt.claims`
// and `realtime.topic` set, the probe rows are SELECTed (read policy) or a row is INSERTed (write
// policy). The project's RLS policies on realtime.messages decide; nothing is kept.
import type pg from 'pg';
import type { ChannelIdentity } from './channel.ts';

export interface Policies {
  broadcastRead: boolean;
  presenceRead: boolean;
}

const INSUFFICIENT_PRIVILEGE = '42501';

async function asUser(client: pg.PoolClient, topic: string, identity: ChannelIdentity): Promise<void> {
  await client.query(
    `select set_config('role', $1, true), set_config('realtime.topic', $2, true),
            set_config('request.jwt.claims', $3, true), set_config('request.headers', '{}', true)`,
    [identity.role, topic, JSON.stringify(identity.claims)]);
}

export class ChannelAuthorizer {
  /** `pool` connects as a superuser (Realtime: supabase_realtime_admin), so the probe rows can be written. */
  constructor(private readonly pool: pg.Pool) {}

  /** May this identity read broadcasts / presence on this topic? A policy that errors means no. */
  async read(topic: string, identity: ChannelIdentity): Promise<Policies> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const probes = await client.query<{ id: string; extension: string }>(
        `insert into realtime.messages (topic, extension) values ($1, 'broadcast'), ($1, 'presence') returning id, extension`, [topic]);
      const idOf = (extension: string) => probes.rows.find((r) => r.extension === extension)!.id;
      let visible: string[] = [];
      try {
        await asUser(client, topic, identity);
        const { rows } = await client.query<{ id: string }>(
          `select id from realtime.messages where topic = $1 and ((extension = 'broadcast' and id = $2) or (extension = 'presence' and id = $3))`,
          [topic, idOf('broadcast'), idOf('presence')]);
        visible = rows.map((r) => r.id);
      } catch (error) {
        // Realtime logs RlsPolicyError and refuses the join; an unknown role ends up here too.
        console.error('realtime: a realtime.messages read policy failed:', error instanceof Error ? error.message : error);
      }
      return { broadcastRead: visible.includes(idOf('broadcast')), presenceRead: visible.includes(idOf('presence')) };
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
  }

  /** May this identity send broadcasts on this topic (INSERT policy)? */
  async write(topic: string, identity: ChannelIdentity): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await asUser(client, topic, identity);
      await client.query(`insert into realtime.messages (topic, extension) values ($1, 'broadcast')`, [topic]);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) {
        console.error('realtime: a realtime.messages write policy failed:', error instanceof Error ? error.message : error);
      }
      return false;
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
  }
}
