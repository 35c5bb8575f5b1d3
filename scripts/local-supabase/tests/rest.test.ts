// PostgREST behaviour of the local API through the real supabase-js: reads (select, filters,
// order, ranges, counts, single), writes (insert, upsert, update, delete, return modes) and
// errors, on a scratch table in a private database (see fixtures/scratch.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freePort, signUpUser, stackEnv, type SignedUpUser } from '../../../test-support/stack.ts';
import { startScratchStack, type ScratchStack } from '../fixtures/scratch-db.ts';

const PORT = await freePort();
let stack: ScratchStack;
let alice: SignedUpUser;
let bob: SignedUpUser;

beforeAll(async () => {
  stack = await startScratchStack(PORT);
  alice = await signUpUser('alice', stack.server.url);
  bob = await signUpUser('bob', stack.server.url);
  const { error } = await alice.client.from('notes').insert([
    { slug: 'a', title: 'Alpha', rank: 1, score: 1.5, tags: ['x'] },
    { slug: 'b', title: 'Beta', rank: 2, body: 'has, comma' },
    { slug: 'c', title: 'gamma', rank: 3, done: true, meta: { level: 3 } },
    { slug: 'd', title: 'Delta', rank: 4, score: 10 },
  ], { defaultToNull: false });
  if (error) throw new Error(error.message);
});

afterAll(async () => {
  await stack?.stop();
});

function rest(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const env = stackEnv();
  return fetch(`${stack.server.url}/rest/v1${path}`, {
    ...init,
    headers: { apikey: env.ANON_KEY, Authorization: `Bearer ${init.token ?? alice.session.access_token}`, ...(init.headers as Record<string, string>) },
  });
}

describe('reads', () => {
  it('selects a column list with aliases and casts, ordered', async () => {
    const { data, error } = await alice.client.from('notes').select('slug, heading:title, rank::text').order('rank', { ascending: false });
    expect(error).toBeNull();
    expect(data).toEqual([
      { slug: 'd', heading: 'Delta', rank: '4' },
      { slug: 'c', heading: 'gamma', rank: '3' },
      { slug: 'b', heading: 'Beta', rank: '2' },
      { slug: 'a', heading: 'Alpha', rank: '1' },
    ]);
  });

  it('returns JSON-typed values (numbers, booleans, arrays, jsonb, owner from auth.uid())', async () => {
    const { data } = await alice.client.from('notes').select('*').eq('slug', 'c').single();
    expect(data).toMatchObject({ slug: 'c', rank: 3, done: true, tags: [], meta: { level: 3 }, owner: alice.user.id });
  });

  it.each([
    ['eq', (q: FilterQuery) => q.eq('rank', 2), ['b']],
    ['neq', (q: FilterQuery) => q.neq('rank', 2), ['a', 'c', 'd']],
    ['gt', (q: FilterQuery) => q.gt('rank', 2), ['c', 'd']],
    ['gte', (q: FilterQuery) => q.gte('rank', 2), ['b', 'c', 'd']],
    ['lt', (q: FilterQuery) => q.lt('rank', 2), ['a']],
    ['lte', (q: FilterQuery) => q.lte('rank', 2), ['a', 'b']],
    ['in', (q: FilterQuery) => q.in('slug', ['a', 'd', 'x,y']), ['a', 'd']],
    ['in with a quoted comma', (q: FilterQuery) => q.in('body', ['has, comma']), ['b']],
    ['is null', (q: FilterQuery) => q.is('score', null), ['b', 'c']],
    ['like', (q: FilterQuery) => q.like('title', '*ta'), ['b', 'd']],
    ['ilike', (q: FilterQuery) => q.ilike('title', 'G*'), ['c']],
    ['not', (q: FilterQuery) => q.not('rank', 'in', '(1,2)'), ['c', 'd']],
    ['or', (q: FilterQuery) => q.or('rank.eq.1,done.is.true'), ['a', 'c']],
    ['match', (q: FilterQuery) => q.match({ rank: 4, title: 'Delta' }), ['d']],
    ['contains', (q: FilterQuery) => q.contains('tags', ['x']), ['a']],
  ])('filters with %s', async (_name, apply, expected) => {
    const { data, error } = await apply(alice.client.from('notes').select('slug')).order('slug');
    expect(error).toBeNull();
    expect(((data ?? []) as { slug: string }[]).map((r) => r.slug)).toEqual(expected);
  });

  it('pages with limit/range and reports an exact count in Content-Range', async () => {
    const { data, count, status } = await alice.client.from('notes').select('slug', { count: 'exact' }).order('rank').range(1, 2);
    expect(data).toEqual([{ slug: 'b' }, { slug: 'c' }]);
    expect(count).toBe(4);
    expect(status).toBe(206);
    const response = await rest('/notes?select=slug&order=rank&offset=1&limit=2', { headers: { Prefer: 'count=exact' } });
    expect(response.headers.get('content-range')).toBe('1-2/4');
    const viaRange = await rest('/notes?select=slug&order=rank', { headers: { Range: '0-0' } });
    expect(await viaRange.json()).toEqual([{ slug: 'a' }]);
    const head = await alice.client.from('notes').select('*', { count: 'exact', head: true });
    expect(head.count).toBe(4);
  });

  it('single() needs exactly one row: 406 PGRST116 otherwise; maybeSingle() gives null', async () => {
    const none = await alice.client.from('notes').select('slug').eq('slug', 'zzz').single();
    expect(none.status).toBe(406);
    expect(none.error?.code).toBe('PGRST116');
    const many = await alice.client.from('notes').select('slug').single();
    expect(many.error?.details).toBe('The result contains 4 rows');
    const maybe = await alice.client.from('notes').select('slug').eq('slug', 'zzz').maybeSingle();
    expect(maybe).toMatchObject({ data: null, error: null });
  });

  it('reads views through the same RLS', async () => {
    const { data } = await alice.client.from('note_counts').select('notes');
    expect(data).toEqual([{ notes: 4 }]);
  });

  it('RLS: another user and anon see none of the rows', async () => {
    expect((await bob.client.from('notes').select('*')).data).toEqual([]);
    const anon = await rest('/notes', { token: stackEnv().ANON_KEY });
    expect(await anon.json()).toEqual([]);
  });
});

type FilterQuery = ReturnType<ReturnType<SignedUpUser['client']['from']>['select']>;

describe('rpc', () => {
  it('calls with named arguments by POST and GET, with defaults', async () => {
    expect((await alice.client.rpc('add_numbers', { a: 1, b: 2 })).data).toBe(3);
    expect((await alice.client.rpc('add_numbers', { a: 5 }, { get: true })).data).toBe(15);
  });

  it('returns arrays for set-returning functions, with filters, order and limit applied', async () => {
    expect((await alice.client.rpc('note_titles', { min_rank: 3 })).data).toEqual(['gamma', 'Delta']);
    const { data } = await alice.client.rpc('notes_above', { min_rank: 1 }).select('slug').lte('rank', 4).order('rank', { ascending: false }).limit(2);
    expect(data).toEqual([{ slug: 'd' }, { slug: 'c' }]);
  });

  it('void functions answer 204 with no body; a single unnamed jsonb parameter gets the whole body', async () => {
    const touched = await alice.client.rpc('touch');
    expect(touched).toMatchObject({ status: 204, data: null, error: null });
    expect((await alice.client.rpc('echo_json', { any: ['thing', 1] })).data).toEqual({ any: ['thing', 1] });
  });

  it('runs as the JWT role with request.jwt.claims, request.method, request.path and request.headers', async () => {
    const response = await rest('/rpc/whoami', { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-test-header': 'seen' }, body: '{}' });
    expect(await response.json()).toEqual({ role: 'authenticated', uid: alice.user.id, method: 'POST', path: '/rpc/whoami', header: 'seen' });
    const anon = await rest('/rpc/whoami', { token: stackEnv().ANON_KEY });
    expect(await anon.json()).toMatchObject({ role: 'anon', uid: null, method: 'GET' });
    const service = await rest('/rpc/whoami', { token: stackEnv().SERVICE_ROLE_KEY });
    expect(await service.json()).toMatchObject({ role: 'service_role' });
  });

  it('maps raised SQLSTATEs to PostgREST statuses and bodies', async () => {
    const custom = await alice.client.rpc('fail_with', { code: 'PT418', msg: 'teapot' });
    expect(custom.status).toBe(418);
    expect(custom.error).toEqual({ code: 'PT418', message: 'teapot', details: 'some detail', hint: 'some hint' });
    expect((await alice.client.rpc('fail_with', { code: 'P0001', msg: 'plain' })).status).toBe(400);
    expect((await alice.client.rpc('fail_with', { code: '23505', msg: 'dup' })).status).toBe(409);
    expect((await alice.client.rpc('fail_with', { code: '42501', msg: 'no' })).status).toBe(403);
    const anon = await rest('/rpc/fail_with', { token: stackEnv().ANON_KEY, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"code":"42501","msg":"no"}' });
    expect(anon.status).toBe(401);
  });

  it('GET calls run read-only: a volatile function that writes fails with 25006 → 405', async () => {
    const admin = new pg.Client({ connectionString: stack.dbUrl });
    await admin.connect();
    try {
      await admin.query(`create function public.write_something() returns int language sql volatile as $$ insert into public.notes (owner, slug, title) values (auth.uid(), 'rpc', 'rpc') returning 1 $$`);
    } finally {
      await admin.end();
    }
    const viaGet = await alice.client.rpc('write_something', {}, { get: true });
    expect(viaGet.status).toBe(405);
    expect(viaGet.error?.code).toBe('25006');
    expect((await alice.client.rpc('write_something')).data).toBe(1);
  });

  it('finds functions created after start (cache reload on a miss and on NOTIFY pgrst)', async () => {
    const admin = new pg.Client({ connectionString: stack.dbUrl });
    await admin.connect();
    try {
      await admin.query(`create function public.brand_new(x int) returns int language sql immutable as $$ select x * 2 $$`);
      expect((await alice.client.rpc('brand_new', { x: 21 })).data).toBe(42);
      await admin.query(`create or replace function public.brand_new(x int, y int default 1) returns int language sql immutable as $$ select x * 2 + y $$`);
      await admin.query(`drop function public.brand_new(int)`);
      await admin.query(`notify pgrst, 'reload schema'`);
      await new Promise((r) => setTimeout(r, 300));
      expect((await alice.client.rpc('brand_new', { x: 1, y: 5 })).data).toBe(7);
    } finally {
      await admin.end();
    }
  });
});

describe('writes', () => {
  it('insert answers 201 with no body, or the rows with return=representation', async () => {
    const plain = await alice.client.from('notes').insert({ slug: 'w1', title: 'W1' });
    expect(plain).toMatchObject({ status: 201, data: null, error: null });
    const { data, status } = await alice.client.from('notes').insert([{ slug: 'w2', title: 'W2' }, { slug: 'w3', title: 'W3', body: 'b' }], { defaultToNull: false }).select('slug, body, rank');
    expect(status).toBe(201);
    expect(data).toEqual([{ slug: 'w2', body: null, rank: 0 }, { slug: 'w3', body: 'b', rank: 0 }]);
  });

  it('upsert merges on on_conflict columns, or ignores duplicates', async () => {
    const merged = await alice.client.from('notes').upsert({ owner: alice.user.id, slug: 'w1', title: 'W1 merged' }, { onConflict: 'owner,slug' }).select('slug,title');
    expect(merged.error).toBeNull();
    expect(merged.data).toEqual([{ slug: 'w1', title: 'W1 merged' }]);
    const ignored = await alice.client.from('notes').upsert({ owner: alice.user.id, slug: 'w1', title: 'ignored' }, { onConflict: 'owner,slug', ignoreDuplicates: true }).select('slug');
    expect(ignored.data).toEqual([]);
    const { data } = await alice.client.from('notes').select('title').eq('slug', 'w1').single();
    expect(data).toEqual({ title: 'W1 merged' });
  });

  it('bulk inserts without missing=default send NULL for absent keys, like PostgREST', async () => {
    const { error, status } = await alice.client.from('notes').insert([{ slug: 'n1', title: 'N1' }, { slug: 'n2', title: 'N2', done: true }]);
    expect(status).toBe(400);
    expect(error?.code).toBe('23502');
    expect((await alice.client.from('notes').select('slug').in('slug', ['n1', 'n2'])).data).toEqual([]);
  });

  it('a plain insert of a duplicate key is 409 23505 and changes nothing', async () => {
    const { error, status } = await alice.client.from('notes').insert({ slug: 'w1', title: 'again' });
    expect(status).toBe(409);
    expect(error?.code).toBe('23505');
  });

  it('update answers 204, or the changed rows with select(); count from Content-Range', async () => {
    const plain = await alice.client.from('notes').update({ rank: 9 }).eq('slug', 'w2');
    expect(plain).toMatchObject({ status: 204, error: null });
    const { data, status, count } = await alice.client.from('notes').update({ rank: 8 }, { count: 'exact' }).in('slug', ['w2', 'w3']).select('slug, rank').order('slug');
    expect(status).toBe(200);
    expect(count).toBe(2);
    expect(data).toEqual([{ slug: 'w2', rank: 8 }, { slug: 'w3', rank: 8 }]);
  });

  it('update and delete without any filter are refused (safeupdate: 400 21000)', async () => {
    const update = await alice.client.from('notes').update({ score: 2 }).neq('slug', 'nothing').select('slug');
    expect(update.error).toBeNull();
    const unfiltered = await rest('/notes', { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"rank":1}' });
    expect(unfiltered.status).toBe(400);
    expect(await unfiltered.json()).toMatchObject({ code: '21000' });
    const del = await rest('/notes', { method: 'DELETE' });
    expect(del.status).toBe(400);
  });

  it('delete removes only matching rows and can return them', async () => {
    const { data, status } = await alice.client.from('notes').delete().eq('slug', 'w3').select('slug');
    expect(status).toBe(200);
    expect(data).toEqual([{ slug: 'w3' }]);
    expect((await alice.client.from('notes').delete().eq('slug', 'w3')).status).toBe(204);
  });

  it('RLS on writes: another user changes nothing and cannot insert for the owner', async () => {
    const update = await bob.client.from('notes').update({ title: 'hacked' }).eq('slug', 'a').select();
    expect(update.data).toEqual([]);
    const del = await bob.client.from('notes').delete().eq('slug', 'a').select();
    expect(del.data).toEqual([]);
    const insert = await bob.client.from('notes').insert({ owner: alice.user.id, slug: 'evil', title: 'x' });
    expect(insert.status).toBe(403);
    expect(insert.error?.code).toBe('42501');
    const { data } = await alice.client.from('notes').select('title').eq('slug', 'a').single();
    expect(data).toEqual({ title: 'Alpha' });
  });

  // tx=rollback follows db-tx-end (ignored under `supabase start`): rest_postgrest_parity.test.ts.
  it('vnd.pgrst.object+json with several rows leaves the data unchanged', async () => {
    const single = await alice.client.from('notes').update({ title: 'temp' }).in('slug', ['a', 'b']).select().single();
    expect(single.status).toBe(406);
    const { data } = await alice.client.from('notes').select('title').in('slug', ['a', 'b']).order('slug');
    expect(data).toEqual([{ title: 'Alpha' }, { title: 'Beta' }]);
  });
});

describe('schema checks', () => {
  it('unknown table: 404 PGRST205; unknown column: 400; unknown insert column: 400 PGRST204', async () => {
    const table = await alice.client.from('nope').select('*');
    expect(table.status).toBe(404);
    expect(table.error?.code).toBe('PGRST205');
    const column = await alice.client.from('notes').select('nope');
    expect(column.status).toBe(400);
    expect(column.error?.code).toBe('42703');
    const filter = await alice.client.from('notes').select('slug').eq('nope', 1);
    expect(filter.status).toBe(400);
    const insert = await alice.client.from('notes').insert({ slug: 'q', title: 'q', nope: 1 });
    expect(insert.status).toBe(400);
    expect(insert.error?.code).toBe('PGRST204');
  });

  it('only the public schema is exposed (406 PGRST106)', async () => {
    const { status, error } = await alice.client.schema('auth').from('users').select('*');
    expect(status).toBe(406);
    expect(error?.code).toBe('PGRST106');
  });

  it('identifiers cannot smuggle SQL', async () => {
    const response = await rest(`/notes?select=${encodeURIComponent('slug,(select 1)')}`);
    expect(response.status).toBe(400);
    const order = await rest(`/notes?order=${encodeURIComponent('slug;drop table notes')}`);
    expect(order.status).toBe(400);
    const cast = await rest(`/notes?select=${encodeURIComponent('slug::text union select 1')}`);
    expect(cast.status).toBe(400);
    expect((await alice.client.from('notes').select('slug', { count: 'exact', head: true })).count).toBeGreaterThan(0);
  });
});
