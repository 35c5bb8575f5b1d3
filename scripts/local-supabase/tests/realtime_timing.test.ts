// Join timing as hosted Realtime has it: the join reply (SUBSCRIBED) comes first, the
// postgres_changes subscription is set up after it and confirmed by the system message
// 'Subscribed to PostgreSQL'. A change committed in between is not delivered, so a client that
// re-reads only on SUBSCRIBED stays stale; one that re-reads on the system message is right.
// Own server on a free port, with the window widened to 800 ms so the test can commit inside it.
import { afterAll, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../src/server.ts';
import { balanceOf, closeDb, freePort, grantCredits, signUpUser, stackEnv, TEST_DB_URL, waitFor } from '../../../test-support/stack.ts';

const WINDOW_MS = 800;
let server: ApiServer | undefined;

afterAll(async () => {
  await server?.close();
  await closeDb();
});

it('answers the join before subscribing; a change committed in between is not sent, the system message says when to re-read', async () => {
  server = await startApiServer({ port: await freePort(), dbUrl: TEST_DB_URL, env: stackEnv(), realtimeSubscribeDelayMs: WINDOW_MS });
  const { client, user } = await signUpUser('rt-timing', server.url);
  const read = async (): Promise<number> => {
    const { data, error } = await client.from('users').select('credits').eq('id', user.id).single();
    if (error) throw error;
    return (data as { credits: number }).credits;
  };
  const events: string[] = [];
  let readAtSubscribed: Promise<number> | undefined;
  let readAtSystemOk: Promise<number> | undefined;
  const joinedAt = { subscribed: 0, system: 0 };
  const systemMessages: unknown[] = [];
  client.channel('timing')
    .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'users', filter: `id=eq.${user.id}` },
      (payload) => events.push(`change:${(payload.new as { credits: number }).credits}`))
    .on('system', {}, (m: { extension: string; status: string; message: string; channel: string }) => {
      events.push(`system:${m.extension}:${m.status}`);
      systemMessages.push(m);
      joinedAt.system = performance.now();
      readAtSystemOk = read();
    })
    .subscribe((status) => {
      if (status !== 'SUBSCRIBED') return;
      events.push('SUBSCRIBED');
      joinedAt.subscribed = performance.now();
      readAtSubscribed = read();
    });

  await waitFor(() => readAtSubscribed !== undefined, 10_000);
  expect(await readAtSubscribed).toBe(0);
  // Inside the window: joined, but not yet subscribed to the database.
  await grantCredits(user.id, 5, server.url);
  expect(events).toEqual(['SUBSCRIBED']);

  await waitFor(() => readAtSystemOk !== undefined, 5000);
  expect(systemMessages).toEqual([{ extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: 'timing' }]);
  expect(joinedAt.system - joinedAt.subscribed).toBeGreaterThanOrEqual(WINDOW_MS - 50);
  // The read on SUBSCRIBED alone says 0; the read on 'Subscribed to PostgreSQL' is right.
  expect(await readAtSystemOk).toBe(5);
  await new Promise((r) => setTimeout(r, 300));
  expect(events).toEqual(['SUBSCRIBED', 'system:postgres_changes:ok']);

  // Live from here on: the next change arrives.
  await grantCredits(user.id, 2, server.url);
  await waitFor(() => events.length === 3, 2000);
  expect(events[2]).toBe('change:7');
  expect(await balanceOf(user.id)).toBe(7);
  await client.removeAllChannels();
}, 30_000);
