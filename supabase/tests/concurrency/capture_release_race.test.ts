// Capture and release racing each other: the AI interview runner completes an interview while the
// recruiter cancels it in many tabs. Exactly one of the two happens: either every cancel answers
// (one release, the rest replays) and every completion is refused, or the other way round; the
// credits end either spent or available again, never both, never neither.
import { describe, expect, it } from 'vitest';
import { countBy, createUser, ledgerState, runConcurrently, withOwnerClient } from './_sessions.ts';

interface CreateResult { interview_id: string }

async function outcomeRows(interviewId: string): Promise<{ status: string; releases: number; captures: number }> {
  return withOwnerClient(async (client) => {
    const { rows } = await client.query<{ status: string; releases: number; captures: number }>(`
      select i.status,
             (select count(*)::int from public.credit_ledger l where l.interview_id = i.id and l.kind = 'release') as releases,
             (select count(*)::int from public.credit_ledger l where l.interview_id = i.id and l.kind = 'spend') as captures
        from public.interviews i where i.id = $1`, [interviewId]);
    return rows[0];
  });
}

describe('capture vs release', () => {
  it('20 cancels racing 20 completions of one interview end in exactly one outcome, every round', async () => {
    for (let round = 0; round < 4; round += 1) {
      const userId = await createUser('capture-release', 4);
      const [created] = await runConcurrently<CreateResult>(1, userId, () => ({
        text: `select public.create_interview('Analyst', null, 120) as result`, values: [],
      }));
      if (!created?.ok) throw new Error('could not create the interview');
      const id = created.value.interview_id;

      // Interleaved so neither side is always first to the row lock.
      const outcomes = await runConcurrently(40, userId, (i) => (i % 2 === 0
        ? { text: 'select public.cancel_interview($1) as result', values: [id] }
        : { text: 'select public.complete_interview($1) as result', values: [id], as: 'service_role' }));
      const cancels = countBy(outcomes.filter((_, i) => i % 2 === 0));
      const completions = countBy(outcomes.filter((_, i) => i % 2 === 1));
      const row = await outcomeRows(id);
      const state = await ledgerState(userId);
      if (row.status === 'cancelled') {
        expect([cancels, completions]).toEqual([{ ok: 20 }, { PT409: 20 }]);
        expect(row).toEqual({ status: 'cancelled', releases: 1, captures: 0 });
        expect(state).toEqual({ balance: 4, reserved: 0, ledgerSum: 4, badRunningSums: 0, violations: 0 });
      } else {
        expect([cancels, completions]).toEqual([{ PT409: 20 }, { ok: 20 }]);
        expect(row).toEqual({ status: 'completed', releases: 0, captures: 1 });
        expect(state).toEqual({ balance: 0, reserved: 0, ledgerSum: 0, badRunningSums: 0, violations: 0 });
      }
    }
  }, 60_000);
});
