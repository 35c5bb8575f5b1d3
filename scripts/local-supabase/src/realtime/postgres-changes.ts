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
import type { VisibilityChecker, Visibility } from './visibility.ts';

function bindingCovers(binding: PostgresBinding, change: WalChange): boolean {
  return (binding.event === '*' || binding.event === change.type)
    && (binding.schema === '*' || binding.schema === change.schema)
    && (binding.table === '*' || binding.table === change.table);
}

export interface DispatchHooks {
  /** The channel's token has expired: it ends instead of receiving the change. */
  expire(channel: Channel, secondsAgo: number): void;
  /** A change could not be delivered to these channels (e.g. the database went away mid-way). */
  missed(channels: Channel[], reason: string): void;
}

export class PostgresChangesDispatcher {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rooms: Rooms,
    private readonly caster: RecordCaster,
    private readonly visibility: VisibilityChecker,
    private readonly hooks: DispatchHooks,
  ) {}

  /** Changes are delivered strictly in commit order. */
  dispatch(changes: WalChange[]): void {
    this.queue = this.queue.then(async () => {
      for (const change of changes) {
        const channels = this.rooms.all().filter((c) => c.bindings.some((b) => bindingCovers(b, change)));
        if (channels.length === 0) continue;
        const failed = new Set<Channel>();
        await this.deliver(change, channels, failed).catch(() => { for (const c of channels) failed.add(c); });
        if (failed.size > 0) {
          console.error(`realtime: a ${change.type} on ${change.schema}.${change.table} could not be delivered to ${failed.size} channel(s)`);
          this.hooks.missed([...failed], 'a change could not be delivered; re-read the data');
        }
      }
    });
  }

  private async deliver(change: WalChange, channels: Channel[], failed: Set<Channel>): Promise<void> {
    const isDelete = change.type === 'DELETE';
    const [columns, record, oldRecord] = await Promise.all([
      this.caster.columnTypes(change.columns.length > 0 ? change.columns : change.identity),
      isDelete ? Promise.resolve({}) : this.caster.record(change.schema, change.table, change.columns),
      this.caster.record(change.schema, change.table, change.identity),
    ]);
    // Channels acting with identical claims (tabs of one session) share one check per change.
    const verdicts = new Map<string, Promise<Visibility>>();
    const visibilityFor = (channel: Channel): Promise<Visibility> => {
      const key = `${channel.identity.role}\u0000${JSON.stringify(channel.identity.claims)}`;
      let verdict = verdicts.get(key);
      if (!verdict) {
        verdict = isDelete
          ? this.visibility.deletionVisible(channel.identity, change.schema, change.table, change.identity)
          : this.visibility.rowVisible(channel.identity, change.schema, change.table, change.pk, change.columns);
        verdicts.set(key, verdict);
      }
      return verdict;
    };
    const payloadFor = (readable: ReadonlySet<string>): Record<string, unknown> => {
      const onlyReadable = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([name]) => readable.has(name)));
      return {
        schema: change.schema,
        table: change.table,
        commit_timestamp: change.commitTimestamp,
        type: change.type,
        columns: columns.filter((column) => readable.has(column.name)),
        ...(isDelete ? {} : { record: onlyReadable(record) }),
        ...(change.type === 'INSERT' ? {} : { old_record: onlyReadable(oldRecord) }),
        errors: null,
      };
    };
    const matchingIds = (channel: Channel, row: Record<string, unknown>): number[] =>
      channel.bindings.filter((b) => bindingCovers(b, change) && recordMatches(b.filters, row)).map((b) => b.id);
    await Promise.all(channels.map(async (channel) => {
      const expired = expiredSecondsAgo(channel.identity);
      if (expired !== undefined) {
        this.hooks.expire(channel, expired);
        return;
      }
      const filterRecord = isDelete ? oldRecord : record;
      // Cheap pre-check on the full row, so only channels that may want the change cost a query.
      if (matchingIds(channel, filterRecord).length === 0) return;
      let readable: Visibility;
      try {
        readable = await visibilityFor(channel);
      } catch {
        failed.add(channel);
        return;
      }
      if (!readable) return;
      const data = payloadFor(readable);
      // Filters see only readable columns: a filter on a hidden column must not reveal its value.
      const ids = matchingIds(channel, (isDelete ? data.old_record : data.record) as Record<string, unknown>);
      if (ids.length > 0) channel.pushFanout('postgres_changes', { ids: [...new Set(ids)], data });
    }));
  }
}
