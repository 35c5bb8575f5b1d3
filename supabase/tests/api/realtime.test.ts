// Realtime through the real realtime-js (ws transport): postgres_changes on `users` reach every
// client of the owner within a second and nobody else (RLS checked in Postgres), filters and
// access-token refresh work, broadcast and presence reach the other clients of a channel.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RealtimeChannel, RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import { anonClient, closeDb, grantCredits, signUpUser, waitFor } from '../../../test-support/stack.ts';
import { subscribeReady } from '../../../scripts/lib/realtime-ready.ts';

type UserRow = { id: string; credits: number };
type Change = RealtimePostgresChangesPayload<UserRow>;

const clients: SupabaseClient[] = [];

function track<T extends { client: SupabaseClient }>(value: T): T {
  clients.push(value.client);
  return value;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});
afterAll(closeDb);

/** Joined, and for postgres_changes also 'Subscribed to PostgreSQL' (which comes after SUBSCRIBED). */
const subscribed = (channel: RealtimeChannel): Promise<void> => subscribeReady(channel);

async function watchUsers(client: SupabaseClient, name: string, filter?: string): Promise<{ changes: Change[]; at: number[] }> {
  const seen = { changes: [] as Change[], at: [] as number[] };
  const channel = client.channel(name).on<UserRow>('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'users', filter }, (payload) => {
    seen.changes.push(payload);
    seen.at.push(performance.now());
  });
  await subscribed(channel);
  return seen;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('postgres_changes', () => {
  it('two clients of one user both see a balance change within one second; another user sees nothing', async () => {
    const owner = track(await signUpUser('rt-owner'));
    await grantCredits(owner.user.id, 5);
    const secondTab = track({ client: anonClient() });
    await secondTab.client.auth.signInWithPassword({ email: owner.email, password: owner.password });
    const stranger = track(await signUpUser('rt-stranger'));

    const first = await watchUsers(owner.client, 'balance-a', `id=eq.${owner.user.id}`);
    const second = await watchUsers(secondTab.client, 'balance-b', `id=eq.${owner.user.id}`);
    const spyFiltered = await watchUsers(stranger.client, 'spy-filtered', `id=eq.${owner.user.id}`);
    const spyAll = await watchUsers(stranger.client, 'spy-all');

    const start = performance.now();
    const { error } = await owner.client.rpc('deduct_credits', { amount: 2 });
    expect(error).toBeNull();
    await waitFor(() => first.changes.length === 1 && second.changes.length === 1, 1000, 5);
    for (const seen of [first, second]) {
      expect(seen.at[0] - start).toBeLessThan(1000);
      expect(seen.changes[0]).toMatchObject({ eventType: 'UPDATE', schema: 'public', table: 'users', new: { id: owner.user.id, credits: 3 }, old: { id: owner.user.id } });
      expect(seen.changes[0].commit_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    await sleep(400);
    expect(spyFiltered.changes).toEqual([]);
    expect(spyAll.changes).toEqual([]);
    expect(first.changes).toHaveLength(1);
  });

  it('filters select the rows: a binding on another id gets nothing, numeric filters compare as numbers', async () => {
    const owner = track(await signUpUser('rt-filter'));
    const otherId = (await signUpUser('rt-filter-other')).user.id;
    const wrongId = await watchUsers(owner.client, 'wrong-id', `id=eq.${otherId}`);
    const big = await watchUsers(owner.client, 'big', 'credits=gte.10');
    const small = await watchUsers(owner.client, 'small', 'credits=lt.10');
    const listed = await watchUsers(owner.client, 'listed', `id=in.(${otherId},${owner.user.id})`);
    await grantCredits(owner.user.id, 3);
    await waitFor(() => small.changes.length === 1 && listed.changes.length === 1, 2000);
    await sleep(300);
    expect(wrongId.changes).toEqual([]);
    expect(big.changes).toEqual([]);
  });

  it('anon subscribers see no user rows; after sign-in the access_token refresh lets the owner see theirs', async () => {
    const owner = await signUpUser('rt-token');
    const lateSignIn = track({ client: anonClient() });
    const seen = await watchUsers(lateSignIn.client, 'late');
    await grantCredits(owner.user.id, 1);
    await sleep(400);
    expect(seen.changes).toEqual([]);
    await lateSignIn.client.auth.signInWithPassword({ email: owner.email, password: owner.password });
    // auth-js pushes the new token to realtime (access_token message) on SIGNED_IN.
    await sleep(300);
    await grantCredits(owner.user.id, 1);
    await waitFor(() => seen.changes.length === 1, 2000);
    expect(seen.changes[0].new).toMatchObject({ id: owner.user.id, credits: 2 });
  });

  it('the join confirms with a "Subscribed to PostgreSQL" system message; unpublished tables report an error', async () => {
    const { client } = track(await signUpUser('rt-system'));
    const messages: { status: string; message: string }[] = [];
    const ok = client.channel('sys-ok').on('postgres_changes', { event: '*', schema: 'public', table: 'users' }, () => {}).on('system', {}, (m) => messages.push(m));
    ok.subscribe();
    await waitFor(() => messages.length === 1);
    const bad = client.channel('sys-bad').on('postgres_changes', { event: '*', schema: 'public', table: 'plans_not_published' }, () => {}).on('system', {}, (m) => messages.push(m));
    bad.subscribe();
    await waitFor(() => messages.length === 2);
    expect(messages[0]).toMatchObject({ extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL' });
    expect(messages[1]).toMatchObject({ extension: 'postgres_changes', status: 'error' });
  });
});

describe('broadcast and presence', () => {
  it('broadcast reaches the other clients of the channel (binary kind-3 frames from realtime-js), self and ack honoured', async () => {
    const a = track({ client: anonClient() });
    const b = track({ client: anonClient() });
    const received: { a: unknown[]; b: unknown[] } = { a: [], b: [] };
    const channelA = a.client.channel('room-1', { config: { broadcast: { self: true, ack: true } } }).on('broadcast', { event: 'cursor' }, (m) => received.a.push(m));
    const channelB = b.client.channel('room-1').on('broadcast', { event: 'cursor' }, (m) => received.b.push(m));
    await subscribed(channelA);
    await subscribed(channelB);
    expect(await channelA.send({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2 } })).toBe('ok');
    await waitFor(() => received.a.length === 1 && received.b.length === 1);
    expect(received.b[0]).toEqual({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2 } });
    // self is false by default: B does not hear its own message.
    await channelB.send({ type: 'broadcast', event: 'cursor', payload: { from: 'b' } });
    await waitFor(() => received.a.length === 2);
    await sleep(100);
    expect(received.b).toHaveLength(1);
  });

  it('a client that has not joined broadcasts through the REST endpoint', async () => {
    const listener = track({ client: anonClient() });
    const heard: unknown[] = [];
    await subscribed(listener.client.channel('rest-room').on('broadcast', { event: 'ping' }, (m) => heard.push(m)));
    const sender = track({ client: anonClient() });
    expect(await sender.client.channel('rest-room').send({ type: 'broadcast', event: 'ping', payload: { via: 'rest' } })).toBe('ok');
    await waitFor(() => heard.length === 1);
    expect(heard[0]).toMatchObject({ event: 'ping', payload: { via: 'rest' } });
  });

  it('broadcasts stay in their channel', async () => {
    const a = track({ client: anonClient() });
    const b = track({ client: anonClient() });
    const heard: unknown[] = [];
    const here = a.client.channel('room-x');
    const elsewhere = b.client.channel('room-y').on('broadcast', { event: '*' }, (m) => heard.push(m));
    await subscribed(here);
    await subscribed(elsewhere);
    await here.send({ type: 'broadcast', event: 'hello', payload: {} });
    await sleep(200);
    expect(heard).toEqual([]);
  });

  it('presence: tracked clients see each other in sync', async () => {
    const a = track({ client: anonClient() });
    const b = track({ client: anonClient() });
    const channelA = a.client.channel('lobby', { config: { presence: { key: 'alice' } } });
    const channelB = b.client.channel('lobby', { config: { presence: { key: 'bob' } } });
    channelA.on('presence', { event: 'sync' }, () => {});
    channelB.on('presence', { event: 'sync' }, () => {});
    await subscribed(channelA);
    await subscribed(channelB);
    expect(await channelA.track({ online: true })).toBe('ok');
    expect(await channelB.track({ online: true })).toBe('ok');
    await waitFor(() => Object.keys(channelA.presenceState()).length === 2 && Object.keys(channelB.presenceState()).length === 2);
    await channelB.untrack();
    await waitFor(() => Object.keys(channelA.presenceState()).length === 1);
    expect(Object.keys(channelA.presenceState())).toEqual(['alice']);
  });
});
