// A refund racing cancels of interviews held on the refunded payment's credits. A cancel locks the
// wallet (its release) and then the payment (its credits repay the refund's shortfall,
// credits_unrecovered); refund_payment must take the same two locks in the same order, wallet
// first, or the two wait for each other and Postgres kills one with 40P01 (deadlock): the refund
// webhook fails, or the recruiter's cancel does. A gate session holds the payment row while the
// refund and then the cancels queue up, so every round reaches the point where the orders differ.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { TEST_DB_URL } from '../../../test-support/stack.ts';
import {
  callAndCommit, countBy, createUser, ledgerState, openCaller, waitUntilWaitingForLocks, withOwnerClient, type CallerSession, type Outcome,
} from './_sessions.ts';

interface PaymentState { credits: number; credits_reversed: number; credits_unrecovered: number }

async function paymentState(paymentId: string): Promise<PaymentState> {
  return withOwnerClient(async (client) => {
    const { rows } = await client.query<PaymentState>(
      'select credits, credits_reversed, credits_unrecovered from public.payments where id = $1', [paymentId]);
    return rows[0];
  });
}

async function asServiceRole<T>(text: string, values: unknown[]): Promise<T> {
  const session = await openCaller('service_role', null);
  try {
    const outcome = await callAndCommit<T>(session, text, values);
    if (!outcome.ok) throw new Error(`${text}: ${outcome.code} ${outcome.message}`);
    return outcome.value;
  } finally {
    await session.client.end();
  }
}

/** A recruiter who bought a 10-credit pack and holds every credit they have in 1-credit interviews. */
async function recruiterHoldingAPaidPack(round: number): Promise<{ userId: string; paymentId: string; interviewIds: string[] }> {
  const userId = await createUser('refund-cancel', 0);
  const tag = `${userId}-${round}`;
  const payment = await asServiceRole<{ payment_id: string }>(
    `select public.record_checkout($1, 'pack_10', 'stripe', $2) as result`, [userId, `cs_${tag}`]);
  await asServiceRole(`select public.complete_checkout($1, $2, 900, 'usd', $3) as result`, [`evt_${tag}`, `cs_${tag}`, `pi_${tag}`]);
  const recruiter = await openCaller('authenticated', userId);
  try {
    const created = await callAndCommit<string[]>(recruiter, `
      select pg_catalog.array_agg(public.create_interview('Held #' || g, null, 30) ->> 'interview_id') as result
        from generate_series(1, (select credits from public.users where id = $1)) g`, [userId]);
    if (!created.ok) throw new Error(`could not create the interviews: ${created.message}`);
    return { userId, paymentId: payment.payment_id, interviewIds: created.value };
  } finally {
    await recruiter.client.end();
  }
}

const ROUNDS = 5;

function codes(outcomes: Outcome<unknown>[]): string[] {
  return outcomes.map((o) => (o.ok ? 'ok' : `${o.code} ${o.message}`));
}

interface RoundResult {
  round: number;
  refund: string;
  cancels: Record<string, number>;
  payment: PaymentState;
  reserved: number;
  /** Rows of billing.credit_invariant_violations plus bad running sums. */
  violations: number;
}

describe('refund_payment vs cancel_interview', () => {
  it('a refund racing cancels of interviews held on its payment: both succeed, every round, invariant intact', async () => {
    // Every round runs (a deadlock in one does not hide the others), then all are compared at once.
    const rounds: RoundResult[] = [];
    const expected: RoundResult[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const { userId, paymentId, interviewIds } = await recruiterHoldingAPaidPack(round);
      const tag = `${userId}-${round}`;
      // Half refunded while every credit is held: nothing to take back yet, all of it owed.
      await asServiceRole(`select public.refund_payment($1, $2, 450) as result`, [`evt_refund_half_${tag}`, `pi_${tag}`]);
      expect(await paymentState(paymentId)).toEqual({ credits: 10, credits_reversed: 0, credits_unrecovered: 5 });
      let outcomes: Outcome<unknown>[];

      const gate = new pg.Client({ connectionString: TEST_DB_URL });
      await gate.connect();
      const sessions: CallerSession[] = [];
      try {
        await gate.query('begin');
        await gate.query('select 1 from public.payments where id = $1 for update', [paymentId]);
        // The refund queues first (on the payment row), then every cancel.
        const refunder = await openCaller('service_role', null);
        sessions.push(refunder);
        const refund = callAndCommit(refunder, 'select public.refund_payment($1, $2, 900) as result', [`evt_refund_full_${tag}`, `pi_${tag}`]);
        await waitUntilWaitingForLocks([refunder.pid]);
        const cancellers = await Promise.all(interviewIds.map(() => openCaller('authenticated', userId)));
        sessions.push(...cancellers);
        const cancels = cancellers.map((s, i) => callAndCommit(s, 'select public.cancel_interview($1) as result', [interviewIds[i]]));
        await waitUntilWaitingForLocks(sessions.map((s) => s.pid));
        await gate.query('commit');

        outcomes = await Promise.all([refund, ...cancels]);
      } finally {
        await gate.end().catch(() => undefined);
        await Promise.all(sessions.map((s) => s.client.end().catch(() => undefined)));
      }
      const state = await ledgerState(userId);
      rounds.push({
        round, refund: codes(outcomes.slice(0, 1))[0], cancels: countBy(outcomes.slice(1)),
        payment: await paymentState(paymentId), reserved: state.reserved, violations: state.violations + state.badRunningSums,
      });
      // Fully refunded, and every credit of the pack came back (through the cancels): all taken back.
      expected.push({
        round, refund: 'ok', cancels: { ok: interviewIds.length },
        payment: { credits: 10, credits_reversed: 10, credits_unrecovered: 0 }, reserved: 0, violations: 0,
      });
    }
    expect(rounds).toEqual(expected);
  }, 90_000);
});
