// Broadcast from Database: rows inserted into realtime.messages (by realtime.send or
// realtime.broadcast_changes) arrive through the change feed like any other change, once per
// row whatever the number of subscribers, and go to the channels of their topic
// (private or public room, as the row says), as {type, event, payload, meta: {id}}.
// Who is in a private room was decided at join by the realtime.messages policies.
import type { WalChange } from './change-feed.ts';
import type { Rooms } from './rooms.ts';

/** realtime.messages and its daily partitions (messages_2026_11_25, ...). */
export function isMessagesTable(change: Pick<WalChange, 'schema' | 'table'>): boolean {
  return change.schema === 'realtime' && (change.table === 'messages' || change.table.startsWith('messages_'));
}

function column(change: WalChange, name: string): unknown {
  return change.columns.find((c) => c.name === name)?.value;
}

function json(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {};
  try {
    return JSON.parse(value);
  } catch {
    return {};
  }
}

export function deliverDatabaseBroadcasts(rooms: Rooms, changes: WalChange[]): void {
  for (const change of changes) {
    // Realtime broadcasts inserts only; its own authorization probes are rolled back and never seen.
    if (change.type !== 'INSERT' || column(change, 'extension') !== 'broadcast') continue;
    const topic = column(change, 'topic');
    const event = column(change, 'event');
    if (typeof topic !== 'string' || typeof event !== 'string') continue;
    const isPrivate = column(change, 'private') === true;
    rooms.broadcast(`${isPrivate ? 'private' : 'public'}:realtime:${topic}`, undefined,
      { type: 'broadcast', event, payload: json(column(change, 'payload')), meta: { id: column(change, 'id') } });
  }
}
