// Capture and release racing each other: the AI interview runner starts and completes an
// interview while the recruiter cancels it in many tabs. Exactly one of the two happens: either
// every cancel answers (one release, the rest replays) and every start and completion is refused,
// or the other way round; the credits end either spent or available again, never both, never
// neither. A start that won makes every cancel fail: a running interview is never free.
import { describe, expect, it } from 'vitest';
import { countBy, createUser, ledgerState, runConcurrently, withOwnerClient } from './_sessions.ts';

interface CreateResult { interview_id: string }

interface OutcomeRow { status: string; releases: number; captures: number; started: boolean }

async function outcomeRows(interviewId: string): Promise<OutcomeRow> {
  return withOwnerClient(async (client) => {
    const { rows } = await client.query<OutcomeRow>(`
      select i.status, i.started_at is not null as started,
             (select count(*)::int from public.credit_ledger l where l.interview_id = i.id and l.kind = 'release') as releases,
             (select count(*)::int from public.credit_ledger l where l.interview_id = i.id and l.kind = 'spend') as captures
        from public.interviews i where i.id = $1`, [interviewId]);
    return rows[0];
  });
}

describe('capture vs release', () => {
  it('20 cancels racing 20 starts and 20 completions of one interview end in exactly one outcome, every round', async () => {
    let startsWon = 0;
    for (let round = 0; round < 6; round += 1) {
      const userId = await createUser('capture-release', 4);
      const [created] = await runConcurrently<CreateResult>(1, userId, () => ({
        text: `select public.create_interview('Analyst', null, 120) as result`, values: [],
      }));
      if (!created?.ok) throw new Error('could not create the interview');
      const id = created.value.interview_id;

      // Interleaved so no side is always first to the row lock.
      const outcomes = await runConcurrently(60, userId, (i) => [
        { text: 'select public.cancel_interview($1) as result', values: [id] },
        { text: 'select public.start_interview($1) as result', values: [id], as: 'service_role' as const },
        { text: 'select public.complete_interview($1) as result', values: [id], as: 'service_role' as const },
      ][i % 3]);
      const cancels = countBy(outcomes.filter((_, i) => i % 3 === 0));
      const starts = countBy(outcomes.filter((_, i) => i % 3 === 1));
      const completions = countBy(outcomes.filter((_, i) => i % 3 === 2));
      const row = await outcomeRows(id);
      const state = await ledgerState(userId);
      if (row.status === 'cancelled') {
        expect([cancels, starts, completions]).toEqual([{ ok: 20 }, { PT409: 20 }, { PT409: 20 }]);
        expect(row).toEqual({ status: 'cancelled', releases: 1, captures: 0, started: false });
        expect(state).toEqual({ balance: 4, reserved: 0, ledgerSum: 4, badRunningSums: 0, violations: 0 });
      } else {
        // Starts that came before the first completion succeeded (one start, then replays); those
        // after it were refused: the interview had already taken place.
        expect([cancels, completions]).toEqual([{ PT409: 20 }, { ok: 20 }]);
        expect((starts.ok ?? 0) + (starts.PT409 ?? 0)).toBe(20);
        expect(row).toEqual({ status: 'completed', releases: 0, captures: 1, started: (starts.ok ?? 0) > 0 });
        expect(state).toEqual({ balance: 0, reserved: 0, ledgerSum: 0, badRunningSums: 0, violations: 0 });
      }
      startsWon += starts.ok ? 1 : 0;
    }
    // Cancels, starts and completions share the rounds; a start wins most of them in practice.
    expect(startsWon).toBeGreaterThan(0);
  }, 90_000);
});
