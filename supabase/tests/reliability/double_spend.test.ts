// Double spend: 500 simultaneous create_interview calls over HTTP by one user holding 40 credits.
// The row lock must let exactly 40 through; the other 460 get 402 insufficient_credits, none a 5xx.
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

    const { rows } = await db().query<{ interviews: string; spends: string }>(`
      select (select count(*) from public.interviews where user_id = $1) as interviews,
             (select count(*) from public.credit_ledger where user_id = $1 and kind = 'spend') as spends`, [recruiter.user.id]);
    expect(rows[0]).toEqual({ interviews: '40', spends: '40' });
    const state = await expectInvariant(db(), recruiter.user.id);
    expect(state).toMatchObject({ credits: 0, sum: 0, rows: 41 });
  });
});
