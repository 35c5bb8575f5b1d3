// 200 simultaneous spends of 1 credit against a balance of 50, each in its own connection and
// transaction as PostgREST would run them: exactly 50 succeed, 150 get PT402, nothing goes
// below zero and the ledger still adds up.
// Run: TEST_DB_URL=postgresql://postgres:postgres@127.0.0.1:54322/<db> npx vitest run --root . supabase/tests/concurrency
import { describe, expect, it } from 'vitest';
import { countBy, createUser, ledgerState, runConcurrently } from './_sessions.ts';

interface DeductResult { balance: number; ledger_id: number; replayed: boolean }

describe('deduct_credits under contention', () => {
  it('lets exactly as many 1-credit spends through as there are credits', async () => {
    const userId = await createUser('deduct', 50);
    const outcomes = await runConcurrently<DeductResult>(200, userId, () => ({
      text: 'select public.deduct_credits(1) as result', values: [],
    }));

    expect(countBy(outcomes)).toEqual({ ok: 50, PT402: 150 });
    const balances = outcomes.flatMap((o) => (o.ok ? [o.value.balance] : [])).sort((a, b) => a - b);
    expect(balances).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (const o of outcomes) {
      if (!o.ok) {
        expect(o.message).toBe('insufficient_credits');
        expect(JSON.parse(o.detail ?? '{}')).toEqual({ balance: 0, required: 1 });
      }
    }
    expect(await ledgerState(userId)).toEqual({ balance: 0, ledgerSum: 0, badRunningSums: 0, violations: 0 });
  }, 60_000);

  it('runs a key shared by 50 simultaneous calls once and replays it to the others', async () => {
    const userId = await createUser('deduct-key', 10);
    const outcomes = await runConcurrently<DeductResult>(50, userId, () => ({
      text: `select public.deduct_credits(3, 'double click', 'same-key') as result`, values: [],
    }));

    expect(countBy(outcomes)).toEqual({ ok: 50 });
    const values = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
    expect(values.filter((v) => !v.replayed)).toHaveLength(1);
    expect(new Set(values.map((v) => `${v.balance}/${v.ledger_id}`)).size).toBe(1);
    expect(await ledgerState(userId)).toEqual({ balance: 7, ledgerSum: 7, badRunningSums: 0, violations: 0 });
  }, 60_000);
});
