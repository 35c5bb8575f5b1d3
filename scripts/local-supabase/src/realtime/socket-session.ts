// One realtime websocket: decodes frames, answers heartbeats, and runs each channel's life cycle
// (phx_join with postgres_changes bindings, broadcast, presence, access_token, phx_leave).
// Frames are handled one at a time, in order, so a broadcast sent right after a join sees it.
import crypto from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import { Channel, type ChannelIdentity } from './channel.ts';
import { echoBindings } from './bindings.ts';
import { channelIdentity, expiredSecondsAgo, TokenRejected } from './identity.ts';
import { decodeBinary, decodeText, encode, ProtocolError, type PhxMessage, type Vsn } from './protocol.ts';
import type { ApiKeyRing } from '../keys.ts';
import type { Rooms } from './rooms.ts';
import type { PostgresSubscriptions } from './pg-subscriptions.ts';
import type { ChannelAuthorizer, Policies } from './authorization.ts';

export interface SessionDeps {
  rooms: Rooms;
  secret: Uint8Array;
  keys: ApiKeyRing;
  /** Sets up postgres_changes after the join reply, as Realtime does. */
  subscriptions: PostgresSubscriptions;
  /** Private channels: the realtime.messages policies, at join and on token refresh. */
  authorizer: ChannelAuthorizer;
  /** A socket with no frame for this long is closed (Phoenix: 60 s; realtime-js beats every 25 s). */
  idleTimeoutMs?: number;
}

export const IDLE_TIMEOUT_MS = 60_000;

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const flag = (value: unknown): boolean => value === true || value === 'true';

export class SocketSession {
  private channels = new Map<string, Channel>();
  private queue: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly vsn: Vsn,
    private readonly socketIdentity: ChannelIdentity,
    private readonly deps: SessionDeps,
  ) {
    this.armIdleTimer();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.armIdleTimer();
      this.queue = this.queue.then(() => this.onFrame(data, isBinary)).catch((error: unknown) => {
        console.error('realtime: frame handling failed', error);
      });
    });
    ws.on('close', () => this.closeAll());
    ws.on('error', () => this.closeAll());
  }

  /** A client that vanished without a close frame (sleeping laptop, dropped network) is reaped. */
  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.ws.terminate(), this.deps.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
  }

  push(message: PhxMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encode(message, this.vsn));
  }

  private reply(message: PhxMessage, status: 'ok' | 'error', response: unknown): void {
    this.push({ joinRef: message.joinRef, ref: message.ref, topic: message.topic, event: 'phx_reply', payload: { status, response } });
  }

  private async onFrame(data: RawData, isBinary: boolean): Promise<void> {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let message: PhxMessage;
    try {
      message = isBinary ? decodeBinary(buffer) : decodeText(buffer.toString('utf8'), this.vsn);
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.ws.close(1003, error.message.slice(0, 100));
        return;
      }
      throw error;
    }
    if (message.topic === 'phoenix') {
      if (message.event === 'heartbeat') this.reply(message, 'ok', {});
      return;
    }
    if (message.event === 'phx_join') {
      await this.join(message);
      return;
    }
    const channel = this.channels.get(message.topic);
    if (!channel || (message.joinRef !== null && message.joinRef !== channel.joinRef)) {
      this.reply(message, 'error', { reason: 'unmatched topic' });
      return;
    }
    switch (message.event) {
      case 'phx_leave':
        channel.reply(message.ref, 'ok', {});
        this.drop(channel);
        return;
      case 'broadcast':
        await this.broadcast(channel, message);
        return;
      case 'presence':
        this.presence(channel, message);
        return;
      case 'access_token':
        await this.refreshToken(channel, obj(message.payload).access_token);
        return;
      default:
        // Unknown events are ignored, as Realtime does for events it has no handler for.
        return;
    }
  }

  private async join(message: PhxMessage): Promise<void> {
    const topic = message.topic;
    if (!topic.startsWith('realtime:') || topic === 'realtime:') {
      this.reply(message, 'error', { reason: 'TopicNameRequired: You must provide a topic name' });
      return;
    }
    const payload = obj(message.payload);
    const config = obj(payload.config);
    const joinToken = typeof payload.access_token === 'string' && !payload.access_token.startsWith('sb_') ? payload.access_token : undefined;
    let identity: ChannelIdentity;
    try {
      identity = joinToken ? await channelIdentity(joinToken, this.deps.secret, this.deps.keys) : this.socketIdentity;
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      this.reply(message, 'error', { reason: `InvalidJWTToken: ${error.message}` });
      return;
    }
    const isPrivate = flag(config.private);
    const subTopic = topic.slice('realtime:'.length);
    // Private channels: the realtime.messages read policies decide, as the joining user.
    let policies: Policies | undefined;
    if (isPrivate) {
      try {
        policies = await this.deps.authorizer.read(subTopic, identity);
      } catch (error) {
        console.error('realtime: authorizing a private channel failed:', error instanceof Error ? error.message : error);
        this.reply(message, 'error', { reason: 'Realtime was unable to connect to the project database' });
        return;
      }
      if (!policies.broadcastRead && !policies.presenceRead) {
        this.reply(message, 'error', { reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}` });
        return;
      }
    }
    const previous = this.channels.get(topic);
    if (previous) {
      previous.close();
      this.drop(previous, false);
    }
    const broadcast = obj(config.broadcast);
    const presence = obj(config.presence);
    const requested = Array.isArray(config.postgres_changes) ? config.postgres_changes.map(obj) : [];
    // The socket may have closed while we awaited; registering now would leak the channel.
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const channel = new Channel(this, topic, message.joinRef, {
      broadcastSelf: flag(broadcast.self),
      broadcastAck: flag(broadcast.ack),
      presenceEnabled: flag(presence.enabled),
      presenceKey: typeof presence.key === 'string' && presence.key !== '' ? presence.key : crypto.randomUUID(),
      isPrivate,
    }, identity, requested);
    channel.policies = policies;
    this.channels.set(topic, channel);
    this.armExpiry(channel);
    this.deps.rooms.add(channel);
    channel.reply(message.ref, 'ok', { postgres_changes: echoBindings(requested) });
    // As in Realtime: postgres_changes start only after the reply (SUBSCRIBED); the `system`
    // message 'Subscribed to PostgreSQL' says when. Changes committed before it may be missed.
    this.deps.subscriptions.subscribe(channel);
    if (channel.options.presenceEnabled) channel.pushOwn('presence_state', this.deps.rooms.presenceState(channel.roomKey));
  }

  private async broadcast(channel: Channel, message: PhxMessage): Promise<void> {
    const payload = obj(message.payload);
    if (typeof payload.event !== 'string') {
      channel.reply(message.ref, 'error', { reason: 'broadcast needs a string event' });
      return;
    }
    if (channel.options.isPrivate) {
      channel.canWrite ??= await this.deps.authorizer.write(channel.subTopic, channel.identity).catch(() => undefined);
      // Realtime drops a broadcast the write policies refuse (and sends no ack for it).
      if (!channel.canWrite) return;
    }
    const outgoing: Json = { type: 'broadcast', event: payload.event, payload: payload.payload ?? {} };
    if (payload.meta !== undefined) outgoing.meta = payload.meta;
    this.deps.rooms.broadcast(channel.roomKey, channel, outgoing);
    if (channel.options.broadcastAck) channel.reply(message.ref, 'ok', {});
  }

  private presence(channel: Channel, message: PhxMessage): void {
    const payload = obj(message.payload);
    if (payload.event === 'track') {
      const meta = payload.payload;
      if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
        channel.reply(message.ref, 'error', { reason: 'Presence track payload must be a map' });
        return;
      }
      this.deps.rooms.track(channel, meta as Json);
    } else if (payload.event === 'untrack') {
      this.deps.rooms.untrack(channel);
    }
    channel.reply(message.ref, 'ok', {});
  }

  /** No reply on success (as Realtime); a bad token ends the channel with a system error. */
  private async refreshToken(channel: Channel, token: unknown): Promise<void> {
    if (typeof token !== 'string' || token.startsWith('sb_') || token === channel.identity.token) return;
    let identity: ChannelIdentity;
    try {
      identity = await channelIdentity(token, this.deps.secret, this.deps.keys);
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      this.shutdown(channel, error.message);
      return;
    }
    if (channel.options.isPrivate && !channel.closed) {
      // Realtime re-reads the policies with the new token; read rights it lost end the channel.
      let policies: Policies;
      try {
        policies = await this.deps.authorizer.read(channel.subTopic, identity);
      } catch {
        this.shutdown(channel, 'Realtime was unable to connect to the project database');
        return;
      }
      // As Realtime's apply_access_token: no read right left at all is maybe_assign_policies'
      // unauthorized answer; losing one of two is check_read_permissions_revoked's.
      if (!policies.broadcastRead && !policies.presenceRead) {
        this.shutdown(channel, `You do not have permissions to read from this Channel topic: ${channel.subTopic}`);
        return;
      }
      const before = channel.policies;
      if ((before?.broadcastRead && !policies.broadcastRead) || (before?.presenceRead && !policies.presenceRead)) {
        this.shutdown(channel, `You no longer have permission to read from this Channel topic: ${channel.subTopic}`);
        return;
      }
      channel.policies = policies;
      channel.canWrite = undefined;
    }
    channel.identity = identity;
    this.armExpiry(channel);
  }

  /** Realtime's shutdown_response: a system error, then the channel ends (phx_close). */
  private shutdown(channel: Channel, reason: string): void {
    if (this.channels.get(channel.topic) !== channel) return;
    channel.system('system', 'error', reason);
    channel.close();
    this.drop(channel, false);
  }

  /** Ends a channel server-side: system error, phx_close (used when its token expires). */
  expire(channel: Channel, secondsAgo: number): void {
    if (this.channels.get(channel.topic) !== channel) return;
    channel.system('system', 'error', `Token has expired ${secondsAgo} seconds ago`);
    channel.close();
    this.drop(channel, false);
  }

  /** Schedules the channel's end at its token's `exp` (timers only reach ~24 days ahead). */
  private armExpiry(channel: Channel): void {
    clearTimeout(channel.expiryTimer);
    const exp = channel.identity.claims.exp;
    if (typeof exp !== 'number') return;
    const delay = exp * 1000 - Date.now() + 1000;
    if (delay > 2 ** 31 - 1) return;
    channel.expiryTimer = setTimeout(() => {
      const secondsAgo = expiredSecondsAgo(channel.identity);
      if (secondsAgo !== undefined) this.expire(channel, secondsAgo);
      else this.armExpiry(channel);
    }, Math.max(0, delay));
  }

  drop(channel: Channel, sendClose = true): void {
    clearTimeout(channel.expiryTimer);
    channel.closed = true;
    this.deps.subscriptions.cancel(channel);
    if (sendClose) channel.close();
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
    this.deps.rooms.remove(channel);
  }

  private closeAll(): void {
    clearTimeout(this.idleTimer);
    for (const channel of [...this.channels.values()]) this.drop(channel, false);
  }
}
