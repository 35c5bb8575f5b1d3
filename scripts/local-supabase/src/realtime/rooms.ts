// Channels grouped by room (topic + public/private): broadcast fan-out and presence state.
import crypto from 'node:crypto';
import type { Channel } from './channel.ts';

type PresenceMeta = Record<string, unknown> & { phx_ref: string };

export class Rooms {
  private rooms = new Map<string, Set<Channel>>();

  add(channel: Channel): void {
    let room = this.rooms.get(channel.roomKey);
    if (!room) {
      room = new Set();
      this.rooms.set(channel.roomKey, room);
    }
    room.add(channel);
  }

  remove(channel: Channel): void {
    this.untrack(channel);
    const room = this.rooms.get(channel.roomKey);
    room?.delete(channel);
    if (room && room.size === 0) this.rooms.delete(channel.roomKey);
  }

  all(): Channel[] {
    return [...this.rooms.values()].flatMap((room) => [...room]);
  }

  broadcast(roomKey: string, from: Channel | undefined, payload: unknown): void {
    for (const channel of this.rooms.get(roomKey) ?? []) {
      if (channel === from && !channel.options.broadcastSelf) continue;
      // Joined for presence only: Realtime drops broadcasts it may not read.
      if (channel.policies && !channel.policies.broadcastRead) continue;
      channel.pushFanout('broadcast', payload);
    }
  }

  /** presence_state: {key: {metas: [...]}} of every tracked channel in the room. */
  presenceState(roomKey: string): Record<string, { metas: PresenceMeta[] }> {
    const state: Record<string, { metas: PresenceMeta[] }> = {};
    for (const channel of this.rooms.get(roomKey) ?? []) {
      if (!channel.presenceMeta) continue;
      const key = channel.options.presenceKey;
      (state[key] ??= { metas: [] }).metas.push(channel.presenceMeta as PresenceMeta);
    }
    return state;
  }

  private diff(roomKey: string, joins: Record<string, unknown>, leaves: Record<string, unknown>): void {
    for (const channel of this.rooms.get(roomKey) ?? []) {
      if (channel.options.presenceEnabled) channel.pushFanout('presence_diff', { joins, leaves });
    }
  }

  track(channel: Channel, meta: Record<string, unknown>): void {
    const key = channel.options.presenceKey;
    const previous = channel.presenceMeta;
    const next = { ...meta, phx_ref: crypto.randomBytes(8).toString('base64url'), ...(previous ? { phx_ref_prev: previous.phx_ref } : {}) };
    channel.presenceMeta = next;
    this.diff(channel.roomKey, { [key]: { metas: [next] } }, previous ? { [key]: { metas: [previous] } } : {});
  }

  untrack(channel: Channel): void {
    const previous = channel.presenceMeta;
    if (!previous) return;
    channel.presenceMeta = undefined;
    this.diff(channel.roomKey, {}, { [channel.options.presenceKey]: { metas: [previous] } });
  }
}
