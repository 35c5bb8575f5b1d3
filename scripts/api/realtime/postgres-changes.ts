// Delivers WAL changes to the channels whose postgres_changes bindings match (event, schema,
// table, filter) and whose identity may see the row in Postgres (RLS, grants), as Realtime's
// `postgres_changes` messages: {ids: [binding ids], data: {schema, table, commit_timestamp, type,
// columns, record, old_record, errors}}.
import type { Channel, PostgresBinding } from './channel.ts';
import type { WalChange } from './change-feed.ts';
import { recordMatches } from './filters.ts';
import { expiredSecondsAgo } from './identity.ts';
import type { RecordCaster } from './records.ts';
import type { Rooms } from './rooms.ts';
import type { VisibilityChecker } from './visibility.ts';

function bindingCovers(binding: PostgresBinding, change: WalChange): boolean {
  return (binding.event === '*' || binding.event === change.type)
    && (binding.schema === '*' || binding.schema === change.schema)
    && (binding.table === '*' || binding.table === change.table);
}

export class PostgresChangesDispatcher {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rooms: Rooms,
    private readonly caster: RecordCaster,
    private readonly visibility: VisibilityChecker,
    private readonly expire: (channel: Channel, secondsAgo: number) => void,
  ) {}

  /** Changes are delivered strictly in commit order. */
  dispatch(changes: WalChange[]): void {
    this.queue = this.queue.then(async () => {
      for (const change of changes) {
        await this.deliver(change).catch((error: unknown) => {
          console.error('realtime: delivering a change failed', error instanceof Error ? error.message : error);
        });
      }
    });
  }

  private async deliver(change: WalChange): Promise<void> {
    const channels = this.rooms.all().filter((c) => c.bindings.some((b) => bindingCovers(b, change)));
    if (channels.length === 0) return;
    const isDelete = change.type === 'DELETE';
    const [columns, record, oldRecord] = await Promise.all([
      this.caster.columnTypes(change.columns.length > 0 ? change.columns : change.identity),
      isDelete ? Promise.resolve({}) : this.caster.record(change.schema, change.table, change.columns),
      this.caster.record(change.schema, change.table, change.identity),
    ]);
    const data: Record<string, unknown> = {
      schema: change.schema,
      table: change.table,
      commit_timestamp: change.commitTimestamp,
      type: change.type,
      columns,
      ...(isDelete ? {} : { record }),
      ...(change.type === 'INSERT' ? {} : { old_record: oldRecord }),
      errors: null,
    };
    // Channels acting with identical claims (tabs of one session) share one check per change.
    const verdicts = new Map<string, Promise<boolean>>();
    const visibleTo = (channel: Channel): Promise<boolean> => {
      const key = `${channel.identity.role}\u0000${JSON.stringify(channel.identity.claims)}`;
      let verdict = verdicts.get(key);
      if (!verdict) {
        verdict = isDelete
          ? this.visibility.tableReadable(channel.identity, change.schema, change.table)
          : this.visibility.rowVisible(channel.identity, change.schema, change.table, change.pk, record);
        verdicts.set(key, verdict);
      }
      return verdict;
    };
    await Promise.all(channels.map(async (channel) => {
      const expired = expiredSecondsAgo(channel.identity);
      if (expired !== undefined) {
        this.expire(channel, expired);
        return;
      }
      const filterRecord = isDelete ? oldRecord : record;
      const ids = channel.bindings.filter((b) => bindingCovers(b, change) && recordMatches(b.filters, filterRecord)).map((b) => b.id);
      if (ids.length === 0) return;
      if (await visibleTo(channel)) channel.pushFanout('postgres_changes', { ids: [...new Set(ids)], data });
    }));
  }
}
