// Private channels and Broadcast from Database, ported from supabase-js's integration tests
// (packages/core/supabase-js/test/integration.test.ts: "Realtime with vsn …: is able to connect
// and broadcast", private) and Realtime's end-to-end tests (authorization check, broadcast
// changes), against the stand-in on a scratch database whose realtime.messages policies are in
// fixtures/scratch.sql. Joins are authorised by those policies as the joining user; refusals
// carry Realtime's words; token refresh re-checks them and expiry ends the channel.
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { anonClient, freePort, signUpUser, stackEnv, waitFor, type SignedUpUser } from '../../../test-support/stack.ts';
import { startScratchStack, type ScratchStack } from '../fixtures/scratch-db.ts';
import { signJwt } from '../src/jwt.ts';

let stack: ScratchStack;
let alice: SignedUpUser;
let bob: SignedUpUser;
let db: pg.Pool;
const extra: SupabaseClient[] = [];

beforeAll(async () => {
  stack = await startScratchStack(await freePort());
  [alice, bob] = await Promise.all([signUpUser('rt-priv-alice', stack.server.url), signUpUser('rt-priv-bob', stack.server.url)]);
  db = new pg.Pool({ connectionString: stack.dbUrl, max: 2 });
});

afterEach(async () => {
  await Promise.all([alice, bob].map((u) => u?.client.removeAllChannels()));
  await Promise.all(extra.splice(0).map((c) => c.removeAllChannels()));
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function client(vsn?: string): SupabaseClient {
  const made = createClient(stack.server.url, stackEnv().ANON_KEY, {
    realtime: { transport: ws as unknown as typeof WebSocket, heartbeatIntervalMs: 500, ...(vsn ? { vsn } : {}) },
    auth: { persistSession: false, autoRefreshToken: false },
  });
  extra.push(made);
  return made;
}

/** Subscribes and resolves with the first terminal status (and its error). */
function join(channel: RealtimeChannel): Promise<{ status: string; error?: Error }> {
  return new Promise((resolve) => {
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED' || status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') resolve({ status, error });
    });
  });
}

async function tokenFor(user: SignedUpUser, expiresInSeconds: number): Promise<string> {
  return signJwt({ sub: user.user.id, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + expiresInSeconds },
    new TextEncoder().encode(stackEnv().JWT_SECRET));
}

describe.each([{ vsn: '1.0.0' }, { vsn: '2.0.0' }])('supabase-js integration: Realtime with vsn $vsn', ({ vsn }) => {
  it('is able to connect and broadcast on a private channel', async () => {
    const supabase = client(vsn);
    await supabase.auth.signInWithPassword({ email: alice.email, password: alice.password });
    let received: unknown;
    const channel = supabase.channel(`room:${crypto.randomUUID()}`, { config: { broadcast: { self: true }, private: true } })
      .on('broadcast', { event: '*' }, (payload) => { received = payload; });
    expect((await join(channel)).status).toBe('SUBSCRIBED');
    await channel.send({ type: 'broadcast', event: 'test-event', payload: { message: 'test' } });
    await waitFor(() => received !== undefined, 5000);
    expect(received).toMatchObject({ event: 'test-event', payload: { message: 'test' } });
    expect(supabase.realtime.getChannels().length).toBe(1);
  });
});

describe('authorization check', () => {
  it('a private channel without permissions is refused at join with Realtime\'s error', async () => {
    const topic = `room:${crypto.randomUUID()}`;
    const result = await join(anonClient(stack.server.url).channel(topic, { config: { private: true } }));
    expect(result.status).toBe('CHANNEL_ERROR');
    expect(result.error?.message).toBe(`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`);
  });

  it('a signed-in user with permissions joins; on a topic no policy grants them, they are refused', async () => {
    expect((await join(alice.client.channel(`room:${crypto.randomUUID()}`, { config: { private: true } }))).status).toBe('SUBSCRIBED');
    const theirs = `mine:${bob.user.id}`;
    const refused = await join(alice.client.channel(theirs, { config: { private: true } }));
    expect(refused.error?.message).toBe(`Unauthorized: You do not have permissions to read from this Channel topic: ${theirs}`);
    expect((await join(bob.client.channel(theirs, { config: { private: true } }))).status).toBe('SUBSCRIBED');
  });

  it('without a write policy a member\'s broadcasts are dropped; public and private rooms of one name are apart', async () => {
    const topic = `readonly:${crypto.randomUUID()}`;
    const heard: unknown[] = [];
    const listener = bob.client.channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, (m) => heard.push(m));
    // supabase-js hands back its existing channel for a topic it already has: a second client.
    const publicListener = client().channel(topic).on('broadcast', { event: '*' }, (m) => heard.push(m));
    expect((await join(listener)).status).toBe('SUBSCRIBED');
    expect((await join(publicListener)).status).toBe('SUBSCRIBED');
    const sender = alice.client.channel(topic, { config: { private: true } });
    expect((await join(sender)).status).toBe('SUBSCRIBED');
    await sender.send({ type: 'broadcast', event: 'x', payload: {} });
    await db.query(`select realtime.send('{"n": 1}', 'x', $1, true)`, [topic]);
    await waitFor(() => heard.length === 1, 3000);
    await sleep(300);
    expect(heard).toEqual([expect.objectContaining({ event: 'x', payload: expect.objectContaining({ n: 1 }) })]);
  });

  it('the REST broadcast endpoint honours the write policies for private topics', async () => {
    const topic = `room:${crypto.randomUUID()}`;
    const heard: unknown[] = [];
    expect((await join(bob.client.channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, (m) => heard.push(m)))).status).toBe('SUBSCRIBED');
    expect(await alice.client.channel(topic, { config: { private: true } }).send({ type: 'broadcast', event: 'via-rest', payload: { ok: 1 } })).toBe('ok');
    await anonClient(stack.server.url).channel(topic, { config: { private: true } }).send({ type: 'broadcast', event: 'from-anon', payload: {} });
    await waitFor(() => heard.length === 1, 3000);
    await sleep(300);
    expect(heard).toEqual([expect.objectContaining({ event: 'via-rest', payload: { ok: 1 } })]);
  });
});

describe('broadcast changes', () => {
  it('an authenticated user receives insert, update and delete broadcast changes on a topic by id', async () => {
    const id = crypto.randomUUID();
    const results: Record<string, { payload: Record<string, unknown> }> = {};
    const channel = alice.client.channel(`event:${id}`, { config: { private: true } })
      .on('broadcast', { event: 'INSERT' }, (r) => { results.INSERT = r as never; })
      .on('broadcast', { event: 'UPDATE' }, (r) => { results.UPDATE = r as never; })
      .on('broadcast', { event: 'DELETE' }, (r) => { results.DELETE = r as never; });
    expect((await join(channel)).status).toBe('SUBSCRIBED');
    // For Broadcast the join reply is the subscription: a change committed right after it arrives.
    await alice.client.from('broadcast_changes').insert({ id, value: 'original' });
    await alice.client.from('broadcast_changes').update({ value: 'updated' }).eq('id', id);
    await alice.client.from('broadcast_changes').delete().eq('id', id);
    await waitFor(() => Object.keys(results).length === 3, 3000);
    expect(results.INSERT.payload).toMatchObject({ record: { id, value: 'original' }, old_record: null, operation: 'INSERT', schema: 'public', table: 'broadcast_changes' });
    expect(results.UPDATE.payload).toMatchObject({ record: { id, value: 'updated' }, old_record: { id, value: 'original' }, operation: 'UPDATE' });
    expect(results.DELETE.payload).toMatchObject({ record: null, old_record: { id, value: 'updated' }, operation: 'DELETE' });
  });

  it('anon, refused at join, never receives them', async () => {
    const id = crypto.randomUUID();
    const heard: unknown[] = [];
    const result = await join(anonClient(stack.server.url).channel(`event:${id}`, { config: { private: true } }).on('broadcast', { event: '*' }, (m) => heard.push(m)));
    expect(result.status).toBe('CHANNEL_ERROR');
    await alice.client.from('broadcast_changes').insert({ id, value: 'x' });
    await sleep(400);
    expect(heard).toEqual([]);
  });
});

describe('access ends', () => {
  it('a token refresh that loses read permission ends the channel with Realtime\'s system error', async () => {
    const supabase = client();
    await supabase.realtime.setAuth(await tokenFor(alice, 3600));
    const system: { status?: string; message?: string }[] = [];
    const heard: unknown[] = [];
    const statuses: string[] = [];
    const topic = `mine:${alice.user.id}`;
    const channel = supabase.channel(topic, { config: { private: true } })
      .on('system', {}, (m) => system.push(m))
      .on('broadcast', { event: '*' }, (m) => heard.push(m));
    channel.subscribe((s) => statuses.push(s));
    await waitFor(() => statuses.includes('SUBSCRIBED'), 3000);
    await supabase.realtime.setAuth(await tokenFor(bob, 3600));
    await waitFor(() => system.length === 1, 3000);
    expect(system[0]).toMatchObject({ status: 'error', message: `You do not have permissions to read from this Channel topic: ${topic}` });
    await db.query(`select realtime.send('{}', 'after', $1, true)`, [topic]);
    await sleep(400);
    expect(heard).toEqual([]);
  });

  it('token expiry ends the channel at once: a system error, then nothing more is delivered', async () => {
    const supabase = client();
    await supabase.realtime.setAuth(await tokenFor(alice, 2));
    const system: { status?: string; message?: string }[] = [];
    const heard: unknown[] = [];
    const topic = `mine:${alice.user.id}`;
    const channel = supabase.channel(topic, { config: { private: true } })
      .on('system', {}, (m) => system.push(m))
      .on('broadcast', { event: '*' }, (m) => heard.push(m));
    expect((await join(channel)).status).toBe('SUBSCRIBED');
    await db.query(`select realtime.send('{}', 'before', $1, true)`, [topic]);
    await waitFor(() => heard.length === 1, 2000);
    await waitFor(() => system.length === 1, 5000);
    expect(system[0]).toMatchObject({ status: 'error' });
    expect(system[0].message).toMatch(/^Token has expired \d+ seconds ago$/);
    await db.query(`select realtime.send('{}', 'after', $1, true)`, [topic]);
    await sleep(400);
    expect(heard).toHaveLength(1);
  });
});
