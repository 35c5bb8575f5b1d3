// The REST stand-in against cases ported from postgrest-js's own test suite (max-affected.test.ts,
// rpc/transform rollback, upsert) and PostgREST's answers as `supabase start` runs it (db-tx-end
// `commit`, aggregates off): where a feature is served it answers as PostgREST does, and where it
// is not it says so (4xx PGRST127 naming the feature and `supabase start`), never silently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freePort, signUpUser, stackEnv, type SignedUpUser } from '../../../test-support/stack.ts';
import { startScratchStack, type ScratchStack } from '../fixtures/scratch-db.ts';

const PORT = await freePort();
let stack: ScratchStack;
let alice: SignedUpUser;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

/** PostgREST's in-database config for this database only (roles are shared by the cluster). */
async function setTxEnd(value: string | null): Promise<void> {
  const setting = value === null ? 'reset pgrst.db_tx_end' : `set pgrst.db_tx_end = '${value}'`;
  await admin(`alter role authenticator in database "${stack.database}" ${setting}; notify pgrst, 'reload config'`);
  await new Promise((resolve) => setTimeout(resolve, 300));
}

function rest(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${stack.server.url}/rest/v1${path}`, {
    ...init,
    headers: { apikey: stackEnv().ANON_KEY, Authorization: `Bearer ${alice.session.access_token}`, ...(init.headers as Record<string, string>) },
  });
}

/** `.maxAffected(n)`; supabase-js types it for PostgREST 13 clients only, the wire format is the same. */
function maxAffected<T>(builder: T, n: number): T {
  return (builder as unknown as { maxAffected(n: number): T }).maxAffected(n);
}

async function titles(slugs: string[]): Promise<string[]> {
  const { data } = await alice.client.from('notes').select('title').in('slug', slugs).order('slug');
  return ((data ?? []) as { title: string }[]).map((r) => r.title);
}

beforeAll(async () => {
  stack = await startScratchStack(PORT);
  alice = await signUpUser('parity', stack.server.url);
  const { error } = await alice.client.from('notes').insert([
    { slug: 'm1', title: 'same', rank: 1 }, { slug: 'm2', title: 'same', rank: 2 }, { slug: 'm3', title: 'solo', rank: 3 },
  ], { defaultToNull: false });
  if (error) throw new Error(error.message);
  await admin(`create function public.add_note(new_slug text) returns setof public.notes language sql volatile as $$
    insert into public.notes (owner, slug, title) values (auth.uid(), new_slug, new_slug) returning * $$;
    create table public.labels (name text primary key, created_at timestamptz not null default now());
    grant select, insert, update on public.labels to authenticated;
    insert into public.labels (name) values ('existing');
    notify pgrst, 'reload schema'`);
});

afterAll(async () => {
  await stack?.stop();
});

describe('Prefer: max-affected with handling=strict (postgrest-js max-affected.test.ts)', () => {
  it('an update over the limit is 400 PGRST124 and changes nothing', async () => {
    const { error, status, data } = await maxAffected(alice.client.from('notes').update({ title: 'updated' }).eq('title', 'same'), 1);
    expect(status).toBe(400);
    expect(data).toBeNull();
    expect(error).toMatchObject({ code: 'PGRST124', message: 'Query result exceeds max-affected preference constraint', details: 'The query affects 2 rows' });
    expect(await titles(['m1', 'm2'])).toEqual(['same', 'same']);
  });

  it('an update within the limit succeeds and reports the preference as applied', async () => {
    const response = await rest('/notes?slug=eq.m3', {
      method: 'PATCH', headers: { 'Content-Type': 'application/json', Prefer: 'handling=strict, max-affected=1, return=representation' }, body: '{"title":"solo!"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('preference-applied')).toBe('return=representation, handling=strict, max-affected=1');
    expect(await response.json()).toMatchObject([{ slug: 'm3', title: 'solo!' }]);
  });

  it('a delete over the limit is 400 PGRST124 and deletes nothing', async () => {
    const { error } = await maxAffected(alice.client.from('notes').delete().eq('title', 'same'), 1).select();
    expect(error?.code).toBe('PGRST124');
    expect(await titles(['m1', 'm2'])).toEqual(['same', 'same']);
  });

  it('a malformed max-affected under handling=strict is 400 PGRST122 and changes nothing (never dropped with its limit)', async () => {
    for (const value of ['+0', '0.5', '1e0', '99999999999999999999']) {
      const response = await rest('/notes?title=eq.same', {
        method: 'PATCH', headers: { 'Content-Type': 'application/json', Prefer: `handling=strict, max-affected=${value}` }, body: '{"title":"bypass"}',
      });
      expect(response.status, value).toBe(400);
      expect(await response.json(), value).toMatchObject({ code: 'PGRST122' });
    }
    expect(await titles(['m1', 'm2'])).toEqual(['same', 'same']);
  });

  it('limit/offset on PATCH and DELETE are refused (PGRST127), not ignored to change every matching row', async () => {
    for (const [method, query] of [['PATCH', 'limit=1&order=slug'], ['PATCH', 'offset=1'], ['DELETE', 'limit=1&order=slug']] as const) {
      const response = await rest(`/notes?title=eq.same&${query}`, {
        method, headers: { 'Content-Type': 'application/json' }, body: method === 'PATCH' ? '{"title":"limited"}' : undefined,
      });
      expect(response.status, `${method} ${query}`).toBe(400);
      expect(await response.json(), `${method} ${query}`).toMatchObject({ code: 'PGRST127' });
    }
    expect(await titles(['m1', 'm2'])).toEqual(['same', 'same']);
  });

  it('without handling=strict max-affected is ignored, as PostgREST does', async () => {
    const response = await rest('/notes?slug=eq.zzz', { method: 'DELETE', headers: { Prefer: 'max-affected=0' } });
    expect(response.status).toBe(204);
  });

  it('rpc: a set over the limit is PGRST124 and rolled back; a non-set function is PGRST128', async () => {
    const over = await maxAffected(alice.client.rpc('notes_above', { min_rank: 1 }), 1).select();
    expect(over.error?.code).toBe('PGRST124');
    const within = await maxAffected(alice.client.rpc('add_note', { new_slug: 'rpc-1' }), 1).select('slug');
    expect(within.data).toEqual([{ slug: 'rpc-1' }]);
    const scalar = await maxAffected(alice.client.rpc('add_numbers', { a: 1 }), 1);
    expect(scalar.status).toBe(400);
    expect(scalar.error).toMatchObject({ code: 'PGRST128', message: 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict' });
  });
});

describe('Prefer: tx=rollback follows db-tx-end, as PostgREST does', () => {
  it('supabase start (db-tx-end = commit) ignores tx=rollback: writes and rpc commit, nothing applied', async () => {
    const update = await rest('/notes?slug=eq.m3', { method: 'PATCH', headers: { 'Content-Type': 'application/json', Prefer: 'tx=rollback' }, body: '{"title":"kept"}' });
    expect(update.status).toBe(204);
    expect(update.headers.get('preference-applied')).toBeNull();
    expect(await titles(['m3'])).toEqual(['kept']);
    await alice.client.rpc('add_note', { new_slug: 'rpc-committed' }).rollback();
    expect(await titles(['rpc-committed'])).toEqual(['rpc-committed']);
  });

  it('with db-tx-end = commit-allow-override, tx=rollback rolls back table writes and rpc (postgrest-js rollback tests)', async () => {
    await setTxEnd('commit-allow-override');
    try {
      const update = await alice.client.from('notes').update({ title: 'temp' }).eq('slug', 'm3').select('title').rollback();
      expect(update.data).toEqual([{ title: 'temp' }]);
      expect(await titles(['m3'])).toEqual(['kept']);
      const rpc = await alice.client.rpc('add_note', { new_slug: 'rpc-rolled-back' }).select('slug').rollback();
      expect(rpc.data).toEqual([{ slug: 'rpc-rolled-back' }]);
      expect(await titles(['rpc-rolled-back'])).toEqual([]);
      const applied = await rest('/rpc/add_note', { method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'tx=rollback' }, body: '{"new_slug":"x"}' });
      expect(applied.headers.get('preference-applied')).toBe('tx=rollback');
    } finally {
      await setTxEnd(null);
    }
  });
});

describe('upsert (resolution=merge-duplicates)', () => {
  it('an upsert whose only columns are the conflict key returns the existing row, as PostgREST does', async () => {
    const { data: before } = await alice.client.from('labels').select('name, created_at').eq('name', 'existing').single();
    const upsert = await alice.client.from('labels').upsert({ name: 'existing' }).select('name, created_at');
    expect(upsert.error).toBeNull();
    expect(upsert.data).toEqual([before]);
    const fresh = await alice.client.from('labels').upsert([{ name: 'existing' }, { name: 'new' }], { onConflict: 'name' }).select('name');
    expect(fresh.data).toEqual([{ name: 'existing' }, { name: 'new' }]);
    const ignored = await alice.client.from('labels').upsert({ name: 'existing' }, { ignoreDuplicates: true }).select('name');
    expect(ignored.data).toEqual([]);
  });

  it('Preference-Applied lists the preferences in PostgREST\'s order; handling=strict refuses unknown ones', async () => {
    const response = await rest('/notes?on_conflict=owner,slug', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'count=exact, return=minimal, resolution=merge-duplicates, return=representation' },
      body: JSON.stringify({ owner: alice.user.id, slug: 'm1', title: 'same' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('preference-applied')).toBe('resolution=merge-duplicates, return=minimal, count=exact');
    const strict = await rest('/notes?select=slug', { headers: { Prefer: 'handling=strict, bogus=1' } });
    expect(strict.status).toBe(400);
    expect(await strict.json()).toEqual({ code: 'PGRST122', message: 'Invalid preferences given with handling=strict', details: 'Invalid preferences: bogus=1', hint: null });
  });
});

describe('counts', () => {
  it('count=planned is the planner estimate; count=estimated is exact below max_rows', async () => {
    const planned = await alice.client.from('notes').select('slug', { count: 'planned', head: true });
    expect(planned.error).toBeNull();
    expect(typeof planned.count).toBe('number');
    const estimated = await alice.client.from('notes').select('slug', { count: 'estimated' }).eq('title', 'same');
    expect(estimated.count).toBe(2);
  });
});

describe('features the stand-in does not serve answer 4xx PGRST127 naming them and `supabase start`', () => {
  const cases: [string, () => PromiseLike<{ status: number; error: { code: string; message: string } | null }>, number, string][] = [
    ['embedded resources', () => alice.client.from('notes').select('slug, cards(title)'), 400, 'embedded resources'],
    ['spread embeds', () => alice.client.from('notes').select('slug, ...cards(title)'), 400, 'spread'],
    ['JSON paths in select', () => alice.client.from('notes').select('level:meta->level'), 400, 'JSON paths'],
    ['JSON paths in filters', () => alice.client.from('notes').select('slug').eq('meta->>level', '3'), 400, 'JSON paths'],
    ['JSON paths in order', () => alice.client.from('notes').select('slug').order('meta->level'), 400, 'JSON paths'],
    ['full-text search', () => alice.client.from('notes').select('slug').textSearch('title', 'alpha'), 400, 'full-text search'],
    ['range operators', () => alice.client.from('notes').select('slug').rangeLt('title', '[1,2]'), 400, 'range operators'],
    ['any/all modifiers', () => alice.client.from('notes').select('slug').likeAnyOf('title', ['s*', 'k*']), 400, '(any)'],
    ['embedded filters', () => alice.client.from('notes').select('slug').eq('cards.title', 'x'), 400, 'embedded resources'],
    ['CSV output', () => alice.client.from('notes').select('slug').csv(), 406, 'CSV'],
    ['stripped nulls', () => alice.client.from('notes').select('slug, body').stripNulls(), 406, 'stripped nulls'],
    ['another exposed schema', () => alice.client.schema('graphql_public').from('notes').select('*'), 406, 'schemas other than `public`'],
  ];
  it.each(cases)('%s', async (_name, run, status, feature) => {
    const { status: got, error } = await run();
    expect(got).toBe(status);
    expect(error?.code).toBe('PGRST127');
    expect(error?.message).toContain(feature);
    expect(error?.message).toContain('`supabase start`');
  });

  it('aggregates answer what supabase start answers (aggregates off): 400 PGRST123', async () => {
    const { status, error } = await alice.client.from('notes').select('count()');
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: 'PGRST123', message: 'Use of aggregate functions is not allowed' });
  });

  it('a schema supabase start does not expose either is PostgREST\'s 406 PGRST106 with the configured list', async () => {
    const { status, error } = await alice.client.schema('auth').from('users').select('*');
    expect(status).toBe(406);
    expect(error).toMatchObject({ code: 'PGRST106', hint: 'Only the following schemas are exposed: public, graphql_public' });
  });

  it('PUT, CSV bodies and the OpenAPI root are refused and change nothing', async () => {
    const put = await rest('/notes?slug=eq.m1', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"slug":"m1","title":"put"}' });
    expect(put.status).toBe(405);
    expect(await put.json()).toMatchObject({ code: 'PGRST127' });
    const csv = await rest('/notes', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: 'slug,title\ncsv,csv' });
    expect(csv.status).toBe(415);
    expect(await csv.json()).toMatchObject({ code: 'PGRST127' });
    const root = await rest('/');
    expect(root.status).toBe(404);
    expect((await root.json()).message).toContain('OpenAPI');
    expect(await titles(['csv', 'm1'])).toEqual(['same']);
  });
});
