// Double spend: 500 simultaneous create_interview calls over HTTP by one user holding 40 credits.
// The row lock must let exactly 40 holds through; the other 460 get 402 insufficient_credits,
// none a 5xx. Each interview reserves its credit (a hold): available 0, reserved 40, nothing spent.
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, db, grantCredits, signUpUser } from '../../../test-support/stack.ts';
import { expectInvariant } from './_invariant.ts';

afterAll(closeDb);

describe('double spend', () => {
  it('500 concurrent create_interview calls with 40 credits create exactly 40 interviews', async () => {
    const recruiter = await signUpUser('double-spend');
    await grantCredits(recruiter.user.id, 40);

    const answers = await Promise.all(Array.from({ length: 500 }, (_, i) =>
      recruiter.client.rpc('create_interview', { job_position: `Race ${i}`, duration_minutes: 30 })));

    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ 200: 40, 402: 460 });
    for (const a of answers.filter((x) => x.error)) {
      expect(a.error).toMatchObject({ code: 'PT402', message: 'insufficient_credits' });
    }
    const balances = answers.filter((a) => !a.error).map((a) => (a.data as { balance: number }).balance).sort((x, y) => x - y);
    expect(balances).toEqual(Array.from({ length: 40 }, (_, i) => i));

    const reserved = answers.filter((a) => !a.error).map((a) => (a.data as { reserved: number }).reserved).sort((x, y) => x - y);
    expect(reserved).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    const { rows } = await db().query<{ interviews: string; holds: string; spends: string; held: string }>(`
      select (select count(*) from public.interviews where user_id = $1 and status = 'scheduled') as interviews,
             (select count(*) from public.credit_ledger where user_id = $1 and kind = 'hold') as holds,
             (select count(*) from public.credit_ledger where user_id = $1 and kind = 'spend') as spends,
             (select sum(held) from public.credit_lots where user_id = $1) as held`, [recruiter.user.id]);
    expect(rows[0]).toEqual({ interviews: '40', holds: '40', spends: '0', held: '40' });
    const state = await expectInvariant(db(), recruiter.user.id);
    expect(state).toMatchObject({ credits: 0, reserved: 40, sum: 0, rows: 41 });
  });
});
