// One joined channel of one socket: its topic, join_ref, broadcast/presence settings, the
// postgres_changes bindings it asked for (and those live now) and the identity (role + claims) it acts as.
import type { ChangeFilter } from './filters.ts';
import type { PhxMessage } from './protocol.ts';
import type { Policies } from './authorization.ts';

export interface PostgresBinding {
  /** The id echoed in the join reply and matched by realtime-js against payload.ids. */
  id: number;
  event: '*' | 'INSERT' | 'UPDATE' | 'DELETE';
  schema: string;
  table: string;
  filters: ChangeFilter[];
}

export interface ChannelIdentity {
  role: string;
  claims: Record<string, unknown>;
  token: string;
}

export interface ChannelSink {
  push(message: PhxMessage): void;
  /** Ends the channel because its token expired (system error + phx_close). */
  expire(channel: Channel, secondsAgo: number): void;
}

export class Channel {
  presenceMeta: Record<string, unknown> | undefined;
  /** Ends the channel when its token expires, as Realtime does. */
  expiryTimer: NodeJS.Timeout | undefined;
  /** The live postgres_changes bindings: empty until the subscription is set up after the join reply. */
  bindings: PostgresBinding[] = [];
  /** The next postgres_changes subscription attempt (after the join, a retry, or a feed gap). */
  subscribeTimer: NodeJS.Timeout | undefined;
  /** A private channel's read rights from its join (or last token refresh); undefined when public. */
  policies: Policies | undefined;
  /** A private channel's write right, checked at its first broadcast (as Realtime) and kept. */
  canWrite: boolean | undefined;
  /** Left, replaced or ended: late subscription steps must not speak for it any more. */
  closed = false;

  constructor(
    readonly sink: ChannelSink,
    readonly topic: string,
    readonly joinRef: string | null,
    readonly options: { broadcastSelf: boolean; broadcastAck: boolean; presenceEnabled: boolean; presenceKey: string; isPrivate: boolean },
    public identity: ChannelIdentity,
    /** The postgres_changes objects of the join, as the client sent them. */
    readonly requested: Record<string, unknown>[],
  ) {}

  /** Public and private channels of one name are separate rooms, as in Realtime. */
  get roomKey(): string {
    return `${this.options.isPrivate ? 'private' : 'public'}:${this.topic}`;
  }

  get subTopic(): string {
    return this.topic.replace(/^realtime:/, '');
  }

  reply(ref: string | null, status: 'ok' | 'error', response: unknown): void {
    this.sink.push({ joinRef: this.joinRef, ref, topic: this.topic, event: 'phx_reply', payload: { status, response } });
  }

  /** Server pushes tied to this join (system, presence_state) carry the join_ref and no ref. */
  pushOwn(event: string, payload: unknown): void {
    this.sink.push({ joinRef: this.joinRef, ref: null, topic: this.topic, event, payload });
  }

  /** Fan-out messages (broadcast, postgres_changes, presence_diff) carry no refs. */
  pushFanout(event: string, payload: unknown): void {
    this.sink.push({ joinRef: null, ref: null, topic: this.topic, event, payload });
  }

  system(extension: 'system' | 'postgres_changes', status: 'ok' | 'error', message: string): void {
    this.pushOwn('system', { extension, status, message, channel: this.subTopic });
  }

  close(): void {
    this.sink.push({ joinRef: this.joinRef, ref: this.joinRef, topic: this.topic, event: 'phx_close', payload: {} });
  }
}
