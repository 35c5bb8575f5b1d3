// Simultaneous interview creation and cancellation: every interview that exists was paid for,
// no balance goes below zero, a cancelled interview is refunded once however many tabs click.
// Run: TEST_DB_URL=postgresql://postgres:postgres@127.0.0.1:54322/<db> npx vitest run --root . supabase/tests/concurrency
import { describe, expect, it } from 'vitest';
import { countBy, createUser, ledgerState, runConcurrently, withOwnerClient } from './_sessions.ts';

interface CreateResult { interview_id: string; cost: number; balance: number; ledger_id: number; replayed: boolean }
interface CancelResult { interview_id: string; status: string; refunded: number; balance: number; replayed: boolean }

async function interviewCount(userId: string): Promise<number> {
  return withOwnerClient(async (client) => {
    const r = await client.query<{ n: string }>('select count(*) as n from public.interviews where user_id = $1', [userId]);
    return Number(r.rows[0]?.n ?? 0);
  });
}

describe('create_interview under contention', () => {
  it('creates exactly as many interviews as the credits pay for', async () => {
    const userId = await createUser('interview', 20);
    // 60-minute interviews cost 2: 20 credits pay for 10 of the 100 attempts.
    const outcomes = await runConcurrently<CreateResult>(100, userId, (i) => ({
      text: `select public.create_interview($1, null, 60, 'technical') as result`, values: [`Engineer #${i}`],
    }));

    expect(countBy(outcomes)).toEqual({ ok: 10, PT402: 90 });
    expect(await interviewCount(userId)).toBe(10);
    expect(await ledgerState(userId)).toEqual({ balance: 0, ledgerSum: 0, badRunningSums: 0, violations: 0 });
  }, 60_000);

  it('creates one interview for 30 simultaneous calls with one idempotency key', async () => {
    const userId = await createUser('interview-key', 5);
    const outcomes = await runConcurrently<CreateResult>(30, userId, () => ({
      text: `select public.create_interview('Designer', null, 30, 'behavioral', 'create-once') as result`, values: [],
    }));

    expect(countBy(outcomes)).toEqual({ ok: 30 });
    const ids = new Set(outcomes.flatMap((o) => (o.ok ? [o.value.interview_id] : [])));
    expect(ids.size).toBe(1);
    expect(await interviewCount(userId)).toBe(1);
    expect(await ledgerState(userId)).toEqual({ balance: 4, ledgerSum: 4, badRunningSums: 0, violations: 0 });
  }, 60_000);

  it('refunds an interview once when 30 tabs cancel it at the same time', async () => {
    const userId = await createUser('cancel', 4);
    const [created] = await runConcurrently<CreateResult>(1, userId, () => ({
      text: `select public.create_interview('Analyst', null, 120) as result`, values: [],
    }));
    if (!created?.ok) throw new Error('could not create the interview to cancel');
    expect(created.value.balance).toBe(0);

    const outcomes = await runConcurrently<CancelResult>(30, userId, () => ({
      text: 'select public.cancel_interview($1) as result', values: [created.value.interview_id],
    }));

    expect(countBy(outcomes)).toEqual({ ok: 30 });
    const values = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
    expect(values.filter((v) => !v.replayed)).toHaveLength(1);
    expect(values.every((v) => v.balance === 4 && v.refunded === 4 && v.status === 'cancelled')).toBe(true);
    expect(await ledgerState(userId)).toEqual({ balance: 4, ledgerSum: 4, badRunningSums: 0, violations: 0 });
  }, 60_000);
});
