// postgres_changes for every event type on an RLS-protected table with rich column types
// (scratch database, own server on a free port): INSERT/UPDATE/DELETE payloads, JSON-typed values,
// column types, '*' bindings, and RLS deciding who gets inserts and updates.
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import { freePort, signUpUser, waitFor, type SignedUpUser } from '../../../test-support/stack.ts';
import { startScratchStack, type ScratchStack } from '../fixtures/scratch-db.ts';
import { subscribeReady } from '../../lib/realtime-ready.ts';

type Note = Record<string, unknown>;
type Change = RealtimePostgresChangesPayload<Note>;

let stack: ScratchStack;
let alice: SignedUpUser;
let bob: SignedUpUser;
let db: pg.Pool;

beforeAll(async () => {
  stack = await startScratchStack(await freePort());
  alice = await signUpUser('rt-ev-alice', stack.server.url);
  bob = await signUpUser('rt-ev-bob', stack.server.url);
  db = new pg.Pool({ connectionString: stack.dbUrl, max: 2 });
});

afterAll(async () => {
  await Promise.all([alice?.client.removeAllChannels(), bob?.client.removeAllChannels()]);
  await db?.end();
  await stack?.stop();
});

async function watch(client: SupabaseClient, name: string): Promise<Change[]> {
  const seen: Change[] = [];
  await subscribeReady(client.channel(name).on<Note>('postgres_changes', { event: '*', schema: 'public', table: 'notes' }, (p) => seen.push(p)));
  return seen;
}

it('delivers INSERT, UPDATE and DELETE with typed values to the owner only (DELETE: primary key only)', async () => {
  const mine = await watch(alice.client, 'notes-alice');
  const theirs = await watch(bob.client, 'notes-bob');
  const inserted = await alice.client.from('notes')
    .insert({ slug: 'rt', title: 'Realtime', score: 12.5, tags: ['a', 'b'], meta: { deep: { n: 1 } }, done: true })
    .select('id').single();
  expect(inserted.error).toBeNull();
  const id = inserted.data!.id as number;
  // As in Realtime, visibility is checked against the row as it is when the change is read, so
  // each step waits for its event (a row deleted before its INSERT is read is not sent).
  await waitFor(() => mine.length === 1, 2000);
  await alice.client.from('notes').update({ title: 'Realtime 2' }).eq('id', id);
  await waitFor(() => mine.length === 2, 2000);
  await alice.client.from('notes').delete().eq('id', id);
  await waitFor(() => mine.length === 3, 2000);

  const [insert, update, remove] = mine;
  expect(insert).toMatchObject({
    eventType: 'INSERT', schema: 'public', table: 'notes', old: {},
    new: { id, owner: alice.user.id, slug: 'rt', title: 'Realtime', score: 12.5, tags: ['a', 'b'], meta: { deep: { n: 1 } }, done: true, body: null },
  });
  expect(String((insert.new as Note).created_at)).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(update).toMatchObject({ eventType: 'UPDATE', new: { id, title: 'Realtime 2' }, old: { id } });
  expect(remove).toMatchObject({ eventType: 'DELETE', new: {}, old: { id } });
  expect(Object.keys(remove.old)).toEqual(['id']);

  // Bob's client: RLS hides Alice's insert and update; a DELETE is only the primary key (as in Realtime).
  expect(theirs.filter((c) => c.eventType !== 'DELETE')).toEqual([]);
});

it('a row image is delivered only if its reader may see that image, not just the row as it is now', async () => {
  const theirs = await watch(bob.client, 'notes-handover-bob');
  const { rows } = await db.query<{ id: string }>(
    `with inserted as (insert into public.notes (owner, slug, title) values ($1, 'handover', 'alice secret') returning id)
     select id::text from inserted`, [alice.user.id]);
  const id = Number(rows[0].id);
  // Inserted as Alice's and handed to Bob in one transaction: the INSERT image is Alice's row.
  const client = await db.connect();
  try {
    await client.query('begin');
    await client.query(`update public.notes set title = 'still alice' where id = $1`, [id]);
    await client.query(`update public.notes set owner = $2, title = 'handed over', slug = 'handover-bob' where id = $1`, [id, bob.user.id]);
    await client.query('commit');
  } finally {
    client.release();
  }
  await waitFor(() => theirs.some((c) => c.eventType === 'UPDATE' && (c.new as Note).title === 'handed over'), 2000);
  await new Promise((r) => setTimeout(r, 300));
  const seenTitles = theirs.map((c) => (c.new as Note).title);
  expect(seenTitles).toEqual(['handed over']);
});

it('column-level SELECT grants: a column the subscriber cannot select is dropped, and cannot be filtered on', async () => {
  const seen: Change[] = [];
  const byHidden: Change[] = [];
  await subscribeReady(alice.client.channel('cards-alice')
    .on<Note>('postgres_changes', { event: '*', schema: 'public', table: 'cards' }, (p) => seen.push(p))
    .on<Note>('postgres_changes', { event: '*', schema: 'public', table: 'cards', filter: 'secret=eq.s3cret' }, (p) => byHidden.push(p)));
  const { rows } = await db.query<{ id: string }>(
    `insert into public.cards (owner, title, secret) values ($1, 'visible title', 's3cret') returning id::text`, [alice.user.id]);
  await waitFor(() => seen.length === 1, 2000);
  await db.query(`update public.cards set title = 'renamed' where id = $1`, [rows[0].id]);
  await waitFor(() => seen.length === 2, 2000);
  for (const change of seen) {
    expect(Object.keys(change.new).sort()).toEqual(['id', 'owner', 'title']);
    expect(JSON.stringify(change)).not.toContain('s3cret');
  }
  expect(seen.map((c) => (c.new as Note).title)).toEqual(['visible title', 'renamed']);
  expect(byHidden).toEqual([]);
});
