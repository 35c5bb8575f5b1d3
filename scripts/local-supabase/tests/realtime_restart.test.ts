// A realtime client survives a server restart: realtime-js reconnects, rejoins its channel and
// sees changes committed after the restart. Runs its own API server (on a free port) so it can stop it.
import { afterAll, expect, it } from 'vitest';
import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { startApiServer, type ApiServer } from '../src/server.ts';
import { closeDb, freePort, grantCredits, signUpUser, stackEnv, TEST_DB_URL, waitFor } from '../../../test-support/stack.ts';

const PORT = await freePort();
let server: ApiServer | undefined;

const start = (): Promise<ApiServer> => startApiServer({ port: PORT, dbUrl: TEST_DB_URL, env: stackEnv() });

afterAll(async () => {
  await server?.close();
  await closeDb();
});

it('resubscribes after the server restarts and sees later changes', async () => {
  server = await start();
  const { client, user } = await signUpUser('rt-restart', server.url);
  const changes: RealtimePostgresChangesPayload<{ credits: number }>[] = [];
  let joins = 0;
  client.channel('restart').on<{ credits: number }>('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'users', filter: `id=eq.${user.id}` },
    (payload) => changes.push(payload))
    // Counts live subscriptions: 'Subscribed to PostgreSQL' follows every join and rejoin.
    .on('system', {}, (m: { extension: string; status: string }) => { if (m.extension === 'postgres_changes' && m.status === 'ok') joins += 1; })
    .subscribe();
  await waitFor(() => joins === 1, 10_000);
  await grantCredits(user.id, 1, server.url);
  await waitFor(() => changes.length === 1, 2000);

  await server.close();
  server = await start();
  // realtime-js retries after 1 s, 2 s, 5 s ...; the rejoin ends with 'Subscribed to PostgreSQL' again.
  await waitFor(() => joins === 2, 20_000, 50);
  await grantCredits(user.id, 2, server.url);
  await waitFor(() => changes.length === 2, 2000);
  expect(changes.map((c) => (c.new as { credits: number }).credits)).toEqual([1, 3]);
  await client.removeAllChannels();
}, 60_000);
