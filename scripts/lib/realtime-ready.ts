// Subscribes a supabase-js channel and resolves once it really receives what it asked for. As on
// hosted Realtime, SUBSCRIBED (the join reply) comes before the postgres_changes subscription is
// set up; a change committed in between may never arrive. A channel with postgres_changes
// bindings is ready at the `system` message {extension: 'postgres_changes', status: 'ok'}.
import type { RealtimeChannel } from '@supabase/supabase-js';

interface SystemMessage { extension?: string; status?: string; message?: string }

/** Call instead of channel.subscribe(); `onStatus` still sees every status. */
export function subscribeReady(channel: RealtimeChannel, timeoutMs = 10_000,
  onStatus?: (status: string) => void): Promise<void> {
  const wantsChanges = (channel.bindings.postgres_changes?.length ?? 0) > 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${channel.topic}: not ready within ${timeoutMs} ms`)), timeoutMs);
    const done = (error?: Error): void => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    if (wantsChanges) {
      channel.on('system', {}, (message: SystemMessage) => {
        if (message.extension !== 'postgres_changes') return;
        if (message.status === 'ok') done();
        else done(new Error(`${channel.topic}: ${message.message ?? 'postgres_changes error'}`));
      });
    }
    channel.subscribe((status, error) => {
      onStatus?.(status);
      if (status === 'SUBSCRIBED' && !wantsChanges) done();
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') done(error ?? new Error(`${channel.topic}: ${status}`));
    });
  });
}
