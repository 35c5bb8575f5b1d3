// Every RPC of the credit core through supabase.rpc, as the SPA and the functions call it,
// including each error code as the SPA sees it (error.code + HTTP status) and proof that a
// refused call changes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { anonClient, balanceOf, closeDb, db, grantCredits, serviceClient, signUpUser, walletOf } from '../../../test-support/stack.ts';

afterAll(closeDb);

async function ledgerCount(userId: string): Promise<number> {
  const { rows } = await db().query<{ n: number }>('select count(*)::int as n from public.credit_ledger where user_id = $1', [userId]);
  return rows[0].n;
}

/** How each ledger row of an interview moved each lot, oldest first: [kind, delta, reserved_delta, lot, remaining_delta, held_delta]. */
async function interviewLotMoves(interviewId: string): Promise<[string, number, number, number, number, number][]> {
  const { rows } = await db().query<{ kind: string; delta: number; reserved_delta: number; lot_id: string; remaining_delta: number; held_delta: number }>(`
    select l.kind, l.delta, l.reserved_delta, e.lot_id, e.remaining_delta, e.held_delta
      from public.credit_ledger l join billing.credit_lot_moves e on e.ledger_id = l.id
     where l.interview_id = $1 order by l.id, e.lot_id`, [interviewId]);
  return rows.map((r) => [r.kind, r.delta, r.reserved_delta, Number(r.lot_id), r.remaining_delta, r.held_delta]);
}

describe('deduct_credits', () => {
  it('spends atomically and returns {balance, ledger_id, replayed}', async () => {
    const { client, user } = await signUpUser('deduct');
    await grantCredits(user.id, 5);
    const { data, error, status } = await client.rpc('deduct_credits', { amount: 2, reason: 'test spend' });
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toMatchObject({ balance: 3, replayed: false });
    expect(typeof data.ledger_id).toBe('number');
    expect(await balanceOf(user.id)).toBe(3);
  });

  it('an idempotency key replays the first result; the same key with other arguments is PT409 (HTTP 409)', async () => {
    const { client, user } = await signUpUser('idem');
    await grantCredits(user.id, 5);
    const first = await client.rpc('deduct_credits', { amount: 1, idempotency_key: 'k-1' });
    const again = await client.rpc('deduct_credits', { amount: 1, idempotency_key: 'k-1' });
    expect(again.data).toEqual({ ...first.data, replayed: true });
    const conflict = await client.rpc('deduct_credits', { amount: 2, idempotency_key: 'k-1' });
    expect(conflict.status).toBe(409);
    expect(conflict.error?.code).toBe('PT409');
    expect(conflict.error?.message).toBe('idempotency_key_reused');
    expect(await balanceOf(user.id)).toBe(4);
  });

  it('not enough credits is PT402 with HTTP 402, details {balance, required}, and changes nothing', async () => {
    const { client, user } = await signUpUser('broke');
    await grantCredits(user.id, 1);
    const before = await ledgerCount(user.id);
    const { data, error, status } = await client.rpc('deduct_credits', { amount: 3 });
    expect(data).toBeNull();
    expect(status).toBe(402);
    expect(error?.code).toBe('PT402');
    expect(error?.message).toBe('insufficient_credits');
    expect(JSON.parse(error!.details)).toEqual({ balance: 1, required: 3 });
    expect(error?.hint).toBeTruthy();
    expect(await balanceOf(user.id)).toBe(1);
    expect(await ledgerCount(user.id)).toBe(before);
  });

  it.each([0, -1, 10001])('a bad amount (%d) is 22023 with HTTP 400', async (amount) => {
    const { client, user } = await signUpUser('badamount');
    await grantCredits(user.id, 2);
    const { error, status } = await client.rpc('deduct_credits', { amount });
    expect(status).toBe(400);
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe('invalid_amount');
    expect(await balanceOf(user.id)).toBe(2);
  });

  it('a non-number amount is refused by Postgres input parsing (22P02, HTTP 400)', async () => {
    const { client } = await signUpUser('nan');
    const { error, status } = await client.rpc('deduct_credits', { amount: 'three' });
    expect(status).toBe(400);
    expect(error?.code).toBe('22P02');
  });

  it('anon is refused with 42501 and HTTP 401', async () => {
    const { error, status } = await anonClient().rpc('deduct_credits', { amount: 1 });
    expect(status).toBe(401);
    expect(error?.code).toBe('42501');
  });

  it('concurrent spends never overdraw: exactly the affordable ones succeed', async () => {
    const { client, user } = await signUpUser('race');
    await grantCredits(user.id, 5);
    const results = await Promise.all(Array.from({ length: 12 }, () => client.rpc('deduct_credits', { amount: 1 })));
    expect(results.filter((r) => r.error === null)).toHaveLength(5);
    expect(results.filter((r) => r.error?.code === 'PT402')).toHaveLength(7);
    expect(await balanceOf(user.id)).toBe(0);
  });
});

describe('add_credits', () => {
  it('service_role grants credits', async () => {
    const { user } = await signUpUser('grant');
    const { data, error } = await serviceClient().rpc('add_credits', { user_id: user.id, amount: 7, kind: 'grant', reason: 'welcome' });
    expect(error).toBeNull();
    expect(data).toMatchObject({ balance: 7, replayed: false });
  });

  it('authenticated (403) and anon (401) get 42501 and change nothing, even for their own balance', async () => {
    const { client, user } = await signUpUser('selfgrant');
    const own = await client.rpc('add_credits', { user_id: user.id, amount: 100 });
    expect(own.status).toBe(403);
    expect(own.error?.code).toBe('42501');
    const anon = await anonClient().rpc('add_credits', { user_id: user.id, amount: 100 });
    expect(anon.status).toBe(401);
    expect(anon.error?.code).toBe('42501');
    expect(await balanceOf(user.id)).toBe(0);
    expect(await ledgerCount(user.id)).toBe(0);
  });
});

describe('interview_cost', () => {
  it.each([[15, 1], [30, 1], [45, 2], [60, 2], [90, 3], [120, 4]])('%d minutes cost %d credits (GET, anon)', async (minutes, cost) => {
    const { data, error } = await anonClient().rpc('interview_cost', { duration_minutes: minutes }, { get: true });
    expect(error).toBeNull();
    expect(data).toBe(cost);
  });

  it('out-of-range durations are 22023 / HTTP 400', async () => {
    const { error, status } = await anonClient().rpc('interview_cost', { duration_minutes: 10 }, { get: true });
    expect(status).toBe(400);
    expect(error?.code).toBe('22023');
  });
});

describe('create_interview and cancel_interview', () => {
  it('creates and reserves in one step, then cancelling releases once, back into the same lot', async () => {
    const { client, user } = await signUpUser('interview');
    await grantCredits(user.id, 5);
    const created = await client.rpc('create_interview', { job_position: 'Backend engineer', duration_minutes: 60, interview_type: 'technical' });
    expect(created.error).toBeNull();
    expect(created.data).toMatchObject({ cost: 2, balance: 3, reserved: 2, replayed: false });
    expect(await walletOf(user.id)).toEqual({ credits: 3, reserved: 2 });
    const interviewId = created.data.interview_id as string;
    const { data: row } = await client.from('interviews').select('id, status, cost').eq('id', interviewId).single();
    expect(row).toEqual({ id: interviewId, status: 'scheduled', cost: 2 });
    const cancelled = await client.rpc('cancel_interview', { interview_id: interviewId });
    expect(cancelled.data).toMatchObject({ interview_id: interviewId, status: 'cancelled', cancellation_reason: 'recruiter',
      refunded: 2, released: 2, recovered: 0, expired: 0, balance: 5, reserved: 0, replayed: false });
    const again = await client.rpc('cancel_interview', { interview_id: interviewId });
    expect(again.data).toMatchObject({ replayed: true, released: 2, balance: 5, reserved: 0 });
    expect(await walletOf(user.id)).toEqual({ credits: 5, reserved: 0 });
    // The hold moved the grant lot's credits from remaining to held; the release moved them back.
    const { rows: [lot] } = await db().query('select id, remaining, held, spent from public.credit_lots where user_id = $1', [user.id]);
    expect(lot).toMatchObject({ remaining: 5, held: 0, spent: 0 });
    expect(await interviewLotMoves(interviewId)).toEqual([
      ['hold', -2, 2, Number(lot.id), -2, 2],
      ['release', 2, -2, Number(lot.id), 2, -2],
    ]);
  });

  it('without enough credits nothing is created (PT402 / 402)', async () => {
    const { client, user } = await signUpUser('nointerview');
    const { error, status } = await client.rpc('create_interview', { job_position: 'Designer', duration_minutes: 30 });
    expect(status).toBe(402);
    expect(error?.code).toBe('PT402');
    const { rows } = await db().query('select 1 from public.interviews where user_id = $1', [user.id]);
    expect(rows).toEqual([]);
  });

  it('bad arguments are 22023 / 400; another user\'s interview is unknown_interview', async () => {
    const owner = await signUpUser('owner');
    const stranger = await signUpUser('stranger');
    await grantCredits(owner.user.id, 2);
    const badType = await owner.client.rpc('create_interview', { job_position: 'QA', interview_type: 'karaoke' });
    expect(badType.status).toBe(400);
    expect(badType.error?.code).toBe('22023');
    const created = await owner.client.rpc('create_interview', { job_position: 'QA' });
    const theft = await stranger.client.rpc('cancel_interview', { interview_id: created.data.interview_id });
    expect(theft.status).toBe(400);
    expect(theft.error).toMatchObject({ code: '22023', message: 'unknown_interview' });
    expect(await balanceOf(owner.user.id)).toBe(1);
  });
});

describe('billing_summary', () => {
  it('summarises balance, totals and recent ledger rows, newest first', async () => {
    const { client, user } = await signUpUser('summary');
    await grantCredits(user.id, 4);
    await client.rpc('deduct_credits', { amount: 1, reason: 'one' });
    const { data, error } = await client.rpc('billing_summary');
    expect(error).toBeNull();
    expect(data).toMatchObject({ balance: 3, available: 3, reserved: 0, total_spent: 1 });
    expect(data.recent.map((r: { delta: number }) => r.delta)).toEqual([-1, 4]);
    const anon = await anonClient().rpc('billing_summary');
    expect(anon.error?.code).toBe('42501');
  });
});

describe('unknown functions and arguments', () => {
  it('are 404 PGRST202 like PostgREST', async () => {
    const { client } = await signUpUser('unknown');
    const missing = await client.rpc('no_such_function');
    expect(missing.status).toBe(404);
    expect(missing.error?.code).toBe('PGRST202');
    const wrongArg = await client.rpc('deduct_credits', { amount: 1, sneaky: true });
    expect(wrongArg.status).toBe(404);
    expect(wrongArg.error?.code).toBe('PGRST202');
  });
});

describe('fractional amounts', () => {
  it('deduct_credits with 1.5 is a clear 400 (22P02, not a whole number) and changes nothing', async () => {
    const { client, user } = await signUpUser('fraction');
    await grantCredits(user.id, 5);
    const before = await ledgerCount(user.id);
    const { data, error, status } = await client.rpc('deduct_credits', { amount: 1.5 });
    expect(data).toBeNull();
    expect(status).toBe(400);
    expect(error?.code).toBe('22P02');
    expect(error?.message).toMatch(/integer/);
    expect(await balanceOf(user.id)).toBe(5);
    expect(await ledgerCount(user.id)).toBe(before);
  });

  it('create_interview with duration 30.5 is refused the same way', async () => {
    const { client, user } = await signUpUser('fraction');
    await grantCredits(user.id, 5);
    const { status, error } = await client.rpc('create_interview', { job_position: 'Dev', duration_minutes: 30.5 });
    expect([status, error?.code]).toEqual([400, '22P02']);
    expect(await balanceOf(user.id)).toBe(5);
  });
});

describe('complete_interview and the cancellation policy', () => {
  it('the service role completes an interview; the owner can then no longer cancel it (PT409, 409)', async () => {
    const { client, user } = await signUpUser('complete');
    await grantCredits(user.id, 2);
    const created = await client.rpc('create_interview', { job_position: 'Dev' });
    const interviewId = created.data.interview_id as string;

    const done = await serviceClient().rpc('complete_interview', { interview_id: interviewId });
    expect(done.error).toBeNull();
    expect(done.data).toMatchObject({ interview_id: interviewId, status: 'completed', spent: 1, balance: 1, reserved: 0, replayed: false });
    // The capture spends the held credit from the lot the hold took it from; available does not move.
    const { rows: [lot] } = await db().query('select id, remaining, held, spent from public.credit_lots where user_id = $1', [user.id]);
    expect(lot).toMatchObject({ remaining: 1, held: 0, spent: 1 });
    expect(await interviewLotMoves(interviewId)).toEqual([
      ['hold', -1, 1, Number(lot.id), -1, 1],
      ['spend', 0, -1, Number(lot.id), 0, -1],
    ]);
    const again = await serviceClient().rpc('complete_interview', { interview_id: interviewId });
    expect(again.data).toMatchObject({ status: 'completed', replayed: true });

    const cancel = await client.rpc('cancel_interview', { interview_id: interviewId });
    expect([cancel.status, cancel.error?.code, cancel.error?.message]).toEqual([409, 'PT409', 'interview_not_cancellable']);
    expect(await walletOf(user.id)).toEqual({ credits: 1, reserved: 0 });
  });

  it('the owner, another user and anon cannot complete (42501); unknown ids are 22023', async () => {
    const { client, user } = await signUpUser('complete');
    const stranger = await signUpUser('complete');
    await grantCredits(user.id, 1);
    const created = await client.rpc('create_interview', { job_position: 'Dev' });
    const interviewId = created.data.interview_id as string;
    for (const caller of [client, stranger.client, anonClient()]) {
      const { error } = await caller.rpc('complete_interview', { interview_id: interviewId });
      expect(error?.code).toBe('42501');
    }
    const unknown = await serviceClient().rpc('complete_interview', { interview_id: crypto.randomUUID() });
    expect([unknown.status, unknown.error?.message]).toEqual([400, 'unknown_interview']);
    const { rows } = await db().query('select status from public.interviews where id = $1', [interviewId]);
    expect(rows[0].status).toBe('scheduled');
    expect(await walletOf(user.id)).toEqual({ credits: 0, reserved: 1 });
  });

  it('cancel_interview takes an optional idempotency_key; calls without it keep working', async () => {
    const { client, user } = await signUpUser('cancelkey');
    await grantCredits(user.id, 2);
    const a = (await client.rpc('create_interview', { job_position: 'A' })).data.interview_id as string;
    const b = (await client.rpc('create_interview', { job_position: 'B' })).data.interview_id as string;
    const keyed = await client.rpc('cancel_interview', { interview_id: a, idempotency_key: 'cancel-a' });
    expect(keyed.data).toMatchObject({ status: 'cancelled', refunded: 1, replayed: false });
    const replay = await client.rpc('cancel_interview', { interview_id: a, idempotency_key: 'cancel-a' });
    expect(replay.data).toEqual({ ...keyed.data, replayed: true });
    const reused = await client.rpc('cancel_interview', { interview_id: b, idempotency_key: 'cancel-a' });
    expect([reused.status, reused.error?.message]).toEqual([409, 'idempotency_key_reused']);
    const plain = await client.rpc('cancel_interview', { interview_id: b });
    expect(plain.data).toMatchObject({ status: 'cancelled', refunded: 1, replayed: false });
    expect(await walletOf(user.id)).toEqual({ credits: 2, reserved: 0 });
  });
});
