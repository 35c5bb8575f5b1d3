// Row changes of the tables in the `supabase_realtime` publication, read by logical replication:
// a persistent wal2json slot per server instance, polled every POLL_MS (immediately again while
// changes keep coming). The slot outlives its connection, so a database restart loses no
// committed change: the feed reconnects and reads on from where the slot stands. Only when the
// slot itself is gone (database rebuilt, restored, failed over) is there a gap, which the feed
// reports through `onGap` so the channels can tell their clients to re-read.
import crypto from 'node:crypto';
import pg from 'pg';

export interface WalColumn { name: string; type: string; typeoid?: number; value?: unknown }

export interface WalChange {
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  schema: string;
  table: string;
  commitTimestamp: string;
  columns: WalColumn[];
  identity: WalColumn[];
  pk: WalColumn[];
}

interface Wal2JsonRecord {
  action: 'I' | 'U' | 'D' | 'B' | 'C' | 'T' | 'M';
  timestamp?: string;
  schema?: string;
  table?: string;
  columns?: WalColumn[];
  identity?: WalColumn[];
  pk?: WalColumn[];
}

export const SLOT_PREFIX = 'local_api_realtime_';
const POLL_MS = 25;
const PUBLICATION_REFRESH_MS = 1000;
const RECONNECT_MS = 250;
/** Transactions remembered as delivered, so a replay after a crash is not delivered twice. */
const DELIVERED_XIDS = 10_000;
const ACTIONS: Record<string, WalChange['type']> = { I: 'INSERT', U: 'UPDATE', D: 'DELETE' };

function escapeTableName(part: string): string {
  return part.replace(/([,.*\\ ])/g, '\\$1');
}

/** "2026-11-25 12:48:36.69891+00" → "2026-11-25T12:48:36.698Z" (Realtime's commit_timestamp format). */
export function commitTimestamp(walTimestamp: string | undefined): string {
  const date = walTimestamp ? new Date(walTimestamp.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')) : new Date();
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}

/** Whether a process of this machine still runs (the pid in a slot name is the owning server's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ChangeFeedEvents {
  onChanges(changes: WalChange[]): void;
  /** Changes committed in a window may never be read (the slot was lost and made anew). */
  onGap(reason: string): void;
}

export class ChangeFeed {
  private client: pg.Client | undefined;
  readonly slot = `${SLOT_PREFIX}${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  private slotCreated = false;
  private tables: string[] = [];
  private tablesLoadedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private polling: Promise<void> | undefined;
  private delivered = new Set<string>();
  private outage = false;

  constructor(private readonly adminUrl: string, private readonly events: ChangeFeedEvents) {}

  /** True while the feed holds a connection and its slot: changes committed now will be read. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    await this.connect();
    this.schedule(0);
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.adminUrl, application_name: 'local-api-realtime' });
    client.on('error', () => {});
    await client.connect();
    let lost = false;
    try {
      await this.dropOrphanedSlots(client);
      const { rows } = await client.query('select 1 from pg_replication_slots where slot_name = $1', [this.slot]);
      if (rows.length === 0) {
        await client.query(`select pg_create_logical_replication_slot($1, 'wal2json')`, [this.slot]);
        // Our slot vanished while we were away: what was committed meanwhile is not in the new one.
        this.delivered.clear();
        lost = this.slotCreated;
        this.slotCreated = true;
      }
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.outage) console.error(`realtime: change feed reconnected (${lost ? 'with a new slot' : 'reading on from its slot'})`);
    this.outage = false;
    this.client = client;
    this.tablesLoadedAt = 0;
    if (lost) this.events.onGap('the change feed lost its replication slot; changes may have been missed');
    return client;
  }

  /** Slots of our prefix whose server process is gone (it crashed) would hold WAL forever. */
  private async dropOrphanedSlots(client: pg.Client): Promise<void> {
    const { rows } = await client.query<{ slot_name: string }>(
      `select slot_name from pg_replication_slots where slot_name like $1 and not active and database = current_database()`,
      [`${SLOT_PREFIX}%`]);
    for (const { slot_name: name } of rows) {
      const pid = Number(name.slice(SLOT_PREFIX.length).split('_')[0]);
      if (name === this.slot || (Number.isInteger(pid) && processAlive(pid))) continue;
      await client.query('select pg_drop_replication_slot($1)', [name]).catch(() => {});
    }
  }

  /**
   * Polls again right away while changes keep coming. When the connection is lost (database
   * restarted) it reconnects and reads on from the slot, so nothing committed meanwhile is lost.
   */
  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().then((more) => this.schedule(more ? 0 : POLL_MS), async (error: unknown) => {
        if (this.stopped) return;
        // Once per outage: while the database is down, every retry fails the same way.
        if (!this.outage) console.error('realtime: reading changes failed, reconnecting:', error instanceof Error ? error.message : error);
        this.outage = true;
        const broken = this.client;
        this.client = undefined;
        await broken?.end().catch(() => {});
        this.schedule(RECONNECT_MS);
      });
    }, delay);
  }

  private async publishedTables(client: pg.Client): Promise<string[]> {
    if (Date.now() - this.tablesLoadedAt > PUBLICATION_REFRESH_MS) {
      const { rows } = await client.query<{ schemaname: string; tablename: string }>(
        `select schemaname, tablename from pg_publication_tables where pubname = 'supabase_realtime'`);
      this.tables = rows.map((r) => `${escapeTableName(r.schemaname)}.${escapeTableName(r.tablename)}`);
      this.tablesLoadedAt = Date.now();
    }
    return this.tables;
  }

  /** Returns true when a full batch came back (more may be waiting). */
  private async poll(): Promise<boolean> {
    if (this.stopped) return false;
    const client = this.client ?? await this.connect();
    const tables = await this.publishedTables(client);
    const limit = 1000;
    const { rows } = await client.query<{ xid: string; data: string }>(
      `select xid::text, data from pg_logical_slot_get_changes($1, null, $2,
         'format-version', '2', 'include-pk', '1', 'include-timestamp', '1', 'include-type-oids', '1',
         'include-transaction', 'false', 'actions', 'insert,update,delete', 'add-tables', $3)`,
      // realtime.* brings realtime.messages' daily partitions (Broadcast from Database; Realtime
      // reads them through supabase_realtime_messages_publication).
      [this.slot, limit, [...tables, 'realtime.*'].join(',')]);
    const changes: WalChange[] = [];
    // After a crash the slot restarts from its last checkpointed position: transactions we
    // already delivered come again (in commit order) and are skipped.
    const fresh = new Set<string>();
    for (const row of rows) {
      if (this.delivered.has(row.xid) && !fresh.has(row.xid)) continue;
      fresh.add(row.xid);
      const record = JSON.parse(row.data) as Wal2JsonRecord;
      const type = ACTIONS[record.action];
      if (!type || !record.schema || !record.table) continue;
      changes.push({
        type,
        schema: record.schema,
        table: record.table,
        commitTimestamp: commitTimestamp(record.timestamp),
        columns: record.columns ?? [],
        identity: record.identity ?? [],
        pk: record.pk ?? [],
      });
    }
    for (const xid of fresh) this.delivered.add(xid);
    if (this.delivered.size > DELIVERED_XIDS) this.delivered = new Set([...this.delivered].slice(-DELIVERED_XIDS / 2));
    if (changes.length > 0) this.events.onChanges(changes);
    return rows.length >= limit;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling?.catch(() => {});
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query('select pg_drop_replication_slot($1)', [this.slot]).catch(() => {});
    await client.end().catch(() => {});
  }
}
