// The postgres_changes half of a join, timed as Realtime times it: the join reply (with the
// binding ids) goes out first; the subscription is set up afterwards and confirmed by a `system`
// message {extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL'}.
// A change committed between the reply and that message may not be delivered, so clients re-read
// when it arrives. When the change feed cannot vouch for a window (its slot was lost, a delivery
// failed) each affected channel gets a `system` error and is subscribed anew (another 'ok').
import { parseBindings } from './bindings.ts';
import type { Channel } from './channel.ts';

export interface SubscriptionDeps {
  /** `schema.table` names in the supabase_realtime publication. */
  publishedTables(): Promise<Set<string>>;
  /** True while the change feed holds its connection and slot. */
  feedConnected(): boolean;
  /** Extra wait before each subscription (0 by default; tests widen the window with it). */
  delayMs?: number;
}

/** Realtime retries a failed subscription after 5-10 s; locally a quicker retry keeps tests short. */
const RETRY_MS = 500;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class PostgresSubscriptions {
  constructor(private readonly deps: SubscriptionDeps) {}

  /** Schedules the subscription of a channel that asked for postgres_changes. */
  subscribe(channel: Channel, reportFailure = true, delayMs = this.deps.delayMs ?? 0): void {
    clearTimeout(channel.subscribeTimer);
    if (channel.requested.length === 0 || channel.closed) return;
    channel.subscribeTimer = setTimeout(() => { void this.attempt(channel, reportFailure); }, delayMs);
  }

  /**
   * Changes in a window may not reach these channels: each is told so (a `system` error, on which
   * clients re-read) and subscribes again, which ends with a fresh 'Subscribed to PostgreSQL'.
   */
  interrupt(channels: Iterable<Channel>, reason: string): void {
    for (const channel of channels) {
      if (channel.requested.length === 0 || channel.closed) continue;
      channel.bindings = [];
      channel.system('postgres_changes', 'error', reason);
      this.subscribe(channel, false);
    }
  }

  cancel(channel: Channel): void {
    clearTimeout(channel.subscribeTimer);
  }

  private async attempt(channel: Channel, reportFailure: boolean): Promise<void> {
    let published: Set<string>;
    try {
      if (!this.deps.feedConnected()) throw new Error('the change feed is not connected to the database');
      published = await this.deps.publishedTables();
    } catch (error) {
      if (channel.closed) return;
      // Reported once; the retries that follow stay quiet until one succeeds.
      if (reportFailure) channel.system('postgres_changes', 'error', `Subscribing to PostgreSQL failed: ${messageOf(error)}`);
      this.subscribe(channel, false, RETRY_MS);
      return;
    }
    if (channel.closed) return;
    const { bindings, problems } = parseBindings(channel.requested, published);
    channel.bindings = bindings;
    if (problems.length === 0) channel.system('postgres_changes', 'ok', 'Subscribed to PostgreSQL');
    else for (const problem of problems) channel.system('postgres_changes', 'error', problem);
  }
}
