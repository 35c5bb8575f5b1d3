// Refunded money never becomes spendable, property-based (fast-check): random orders of
// purchase A (pack_5), purchase B (pack_10), a grant, full refund of A, partial and full refund
// of B, among interviews created, cancelled and completed and plain spends, straight against the
// database functions (as the service role and as the recruiter, the way PostgREST calls them).
// After every step:
//  - the ledger invariant holds (billing.credit_invariant_violations: balances, lots, entries);
//  - the database agrees with a reference model of the lot rules (_lot_model.ts) on every lot
//    (remaining, held, spent, voided), every payment (reversed, unrecovered) and every interview;
//  - and, whatever the model says: a refunded payment's lot never has more available than the
//    credits the refund left paid for (remaining <= amount - refunded share), what a refund could
//    not take back is only credits of that lot spent or held (unrecovered <= spent + held), its
//    voided credits are exactly the reversals of its payment, and no other lot is ever voided.
import crypto from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { expectInvariant } from './_invariant.ts';
import { LotModel, type ModelInterview } from './_lot_model.ts';

const TEST_DB_URL = process.env.TEST_DB_URL ?? 'postgresql://postgres:postgres@127.0.0.1:54322/postgres';
const RUNS = Number(process.env.REFUND_PROPERTY_RUNS ?? 20);

const client = new pg.Client({ connectionString: TEST_DB_URL });
await client.connect();
afterAll(() => client.end());

type Step =
  | { op: 'buyA' } | { op: 'buyB' } | { op: 'grant'; amount: number }
  | { op: 'create'; duration: number } | { op: 'cancel'; pick: number } | { op: 'complete'; pick: number }
  | { op: 'spend'; amount: number } | { op: 'refundA' } | { op: 'refundB'; cents: number };

// Every run has each of the note's events once (purchase A, purchase B, a grant, the full refund
// of A, a partial and then the full refund of B) among random interviews, cancels, completions
// and spends, in a random order: a permutation of the lot.
const core: Step[] = [{ op: 'buyA' }, { op: 'buyB' }, { op: 'grant', amount: 2 }, { op: 'refundA' },
  { op: 'refundB', cents: 450 }, { op: 'refundB', cents: 900 }];
const usage: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(30, 60, 120).map((duration) => ({ op: 'create' as const, duration })) },
  { weight: 3, arbitrary: fc.nat(20).map((pick) => ({ op: 'cancel' as const, pick })) },
  { weight: 1, arbitrary: fc.nat(20).map((pick) => ({ op: 'complete' as const, pick })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((amount) => ({ op: 'spend' as const, amount })) },
);
const steps: fc.Arbitrary<Step[]> = fc.array(usage, { minLength: 3, maxLength: 14 })
  .chain((extra) => fc.shuffledSubarray([...core, ...extra], { minLength: core.length + extra.length }))
  // The optional partial refund is sometimes dropped, so B is also refunded in full at once or only in part.
  .chain((all) => fc.subarray(all, { minLength: all.length - 1 }));

/** Runs a call, answering the SQLSTATE it failed with (null on success): a refused call changes nothing. */
async function attempt(sql: string, values: unknown[], asUserId?: string): Promise<string | null> {
  await client.query('begin');
  try {
    if (asUserId) {
      // As PostgREST calls for the recruiter: own transaction, role authenticated, JWT claims.
      await client.query('set local role authenticated');
      await client.query(`select set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify({ sub: asUserId, role: 'authenticated', aud: 'authenticated' })]);
    }
    await client.query(sql, values);
    await client.query('commit');
    return null;
  } catch (error) {
    await client.query('rollback');
    return (error as { code?: string }).code ?? 'unknown';
  }
}

async function newUser(): Promise<string> {
  const id = crypto.randomUUID();
  await client.query(
    `insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     values ($1, 'authenticated', 'authenticated', $2, '{}', '{}', now(), now())`, [id, `refund-property-${id}@example.test`]);
  return id;
}

interface Run { userId: string; tag: string; model: LotModel; interviews: { id: string; model: ModelInterview }[] }

// The database owner without JWT claims may call the service-role functions (as the seed does).
// Each step runs in the database and in the model; both must refuse the same steps.
async function apply(run: Run, s: Step): Promise<void> {
  const { userId, tag, model } = run;
  const expectOk = async (code: Promise<string | null>) => expect(await code, JSON.stringify(s)).toBeNull();
  const pay = async (plan: string, cents: number, ref: string) => {
    await expectOk(attempt(`select public.record_checkout($1, $2, 'stripe', $3)`, [userId, plan, `cs_${ref}`]));
    await expectOk(attempt(`select public.complete_checkout($1, $2, $3, 'usd', $4)`, [`evt_paid_${ref}`, `cs_${ref}`, cents, `pi_${ref}`]));
  };
  const picked = (pick: number) => run.interviews[pick % run.interviews.length];
  switch (s.op) {
    case 'buyA': await pay('pack_5', 500, `${tag}_a`); model.buy('A'); return;
    case 'buyB': await pay('pack_10', 900, `${tag}_b`); model.buy('B'); return;
    case 'grant':
      await expectOk(attempt(`select public.add_credits($1, $2, 'grant', 'property test')`, [userId, s.amount]));
      model.grant(s.amount);
      return;
    case 'refundA':
      // Before purchase A this is an early refund, applied when (if) A completes.
      await expectOk(attempt(`select public.refund_payment($1, $2, 500)`, [`evt_${crypto.randomUUID()}`, `pi_${tag}_a`]));
      model.refund('A', 500);
      return;
    case 'refundB': {
      // Refund amounts are cumulative: a later, smaller one never lowers the total.
      const cents = Math.max(model.payments.B.refundedCents, s.cents);
      await expectOk(attempt(`select public.refund_payment($1, $2, $3)`, [`evt_${crypto.randomUUID()}`, `pi_${tag}_b`, cents]));
      model.refund('B', cents);
      return;
    }
    case 'spend': {
      const code = await attempt('select public.deduct_credits($1)', [s.amount], userId);
      expect(code, JSON.stringify(s)).toBe(model.spend(s.amount) ? null : 'PT402');
      return;
    }
    case 'create': {
      const name = `iv ${crypto.randomUUID()}`;
      const code = await attempt(`select public.create_interview($1, null, $2)`, [name, s.duration], userId);
      const created = model.create(s.duration);
      expect(code, JSON.stringify(s)).toBe(created ? null : 'PT402');
      if (created) {
        const { rows } = await client.query('select id from public.interviews where job_position = $1', [name]);
        run.interviews.push({ id: rows[0].id as string, model: model.interviews[model.interviews.length - 1] });
      }
      return;
    }
    case 'cancel': {
      if (run.interviews.length === 0) return;
      // Picking a cancelled one again is a replay and must change nothing; a completed one is refused.
      const iv = picked(s.pick);
      const code = await attempt('select public.cancel_interview($1)', [iv.id], userId);
      expect(code, JSON.stringify(s)).toBe(iv.model.status === 'completed' ? 'PT409' : null);
      model.cancel(iv.model);
      return;
    }
    case 'complete': {
      if (run.interviews.length === 0) return;
      const iv = picked(s.pick);
      const code = await attempt('select public.complete_interview($1)', [iv.id]);
      expect(code, JSON.stringify(s)).toBe(iv.model.status === 'cancelled' ? 'PT409' : null);
      model.complete(iv.model);
      return;
    }
  }
}

async function checkProperties(run: Run, after: Step): Promise<void> {
  const { userId, tag, model } = run;
  const context = `after ${JSON.stringify(after)}`;
  const state = await expectInvariant(client, userId);
  expect([state.credits, state.reserved], context).toEqual([model.available, model.reserved]);

  const { rows: lots } = await client.query<{ source: string; payment: string | null; amount: number; remaining: number; held: number;
    spent: number; voided: number; expired: number; share: number; reversed: number; unrecovered: number; reversal_rows: number }>(`
    select l.source, case p.provider_session_id when $2 then 'A' when $3 then 'B' end as payment,
           l.amount, l.remaining, l.held, l.spent, l.voided, l.expired,
           case when p.id is null or p.amount_refunded_cents = 0 then 0
                when p.amount_refunded_cents >= p.amount_cents then p.credits
                else p.credits * p.amount_refunded_cents / p.amount_cents end as share,
           coalesce(p.credits_reversed, 0) as reversed, coalesce(p.credits_unrecovered, 0) as unrecovered,
           (select coalesce(-sum(g.delta), 0)::int from public.credit_ledger g where g.payment_id = p.id and g.kind = 'reversal') as reversal_rows
      from public.credit_lots l left join public.payments p on p.id = l.payment_id
     where l.user_id = $1 order by l.id`, [userId, `cs_${tag}_a`, `cs_${tag}_b`]);

  // Model-independent money rules.
  for (const lot of lots) {
    const where = `${context}: lot ${JSON.stringify(lot)}`;
    expect(lot.voided, where).toBe(lot.reversed);
    expect(lot.reversal_rows, where).toBe(lot.reversed);
    expect(lot.reversed + lot.unrecovered, where).toBe(lot.share);
    expect(lot.remaining, where).toBeLessThanOrEqual(lot.amount - lot.share);
    expect(lot.unrecovered, where).toBeLessThanOrEqual(lot.spent + lot.held);
    expect(lot.expired, where).toBe(0);
  }

  // The database follows the stated lot rules exactly.
  expect(lots.map(({ source, payment, amount, remaining, held, spent, voided }) => ({ source, payment, amount, remaining, held, spent, voided })), context)
    .toEqual(model.lots.map(({ source, payment, amount, remaining, held, spent, voided }) => ({ source, payment, amount, remaining, held, spent, voided })));
  expect(lots.filter((l) => l.payment).map((l) => [l.payment, l.reversed, l.unrecovered]), context)
    .toEqual(model.lots.filter((l) => l.payment).map((l) => [l.payment, model.payments[l.payment!].reversed, model.payments[l.payment!].unrecovered]));
  const { rows: ivs } = await client.query<{ id: string; status: string }>(
    'select id, status from public.interviews where id = any($1::uuid[])', [run.interviews.map((i) => i.id)]);
  const statusOf = new Map(ivs.map((r) => [r.id, r.status]));
  expect(run.interviews.map((i) => statusOf.get(i.id)), context).toEqual(run.interviews.map((i) => i.model.status));
}

describe('refunded credits never become spendable, in any order', () => {
  it('holds for random orders of purchases, grants, spends, holds, cancels, completions and refunds', async () => {
    // The issue's reproduction: pack_5, five interviews hold all of it, full refund, five cancels.
    const issueReproduction: Step[] = [{ op: 'buyA' }, ...Array(5).fill({ op: 'create', duration: 30 }),
      { op: 'refundA' }, ...[0, 1, 2, 3, 4].map((pick) => ({ op: 'cancel' as const, pick }))];
    // One hold across a grant lot and a refunded payment's lot: the cancel gives the grant's part back
    // and repays the refund with the payment's part.
    const splitHold: Step[] = [{ op: 'grant', amount: 2 }, { op: 'buyA' }, { op: 'create', duration: 120 },
      { op: 'buyB' }, { op: 'refundA' }, { op: 'cancel', pick: 0 }, { op: 'spend', amount: 3 }];
    // Credits of B held when B is refunded in part; A, refunded in full, repays nothing of B's.
    const twoPayments: Step[] = [{ op: 'buyA' }, { op: 'buyB' }, { op: 'create', duration: 120 }, { op: 'create', duration: 120 },
      { op: 'create', duration: 120 }, { op: 'refundB', cents: 450 }, { op: 'refundA' }, { op: 'complete', pick: 0 },
      { op: 'cancel', pick: 1 }, { op: 'cancel', pick: 2 }, { op: 'cancel', pick: 0 }];
    await fc.assert(fc.asyncProperty(steps, async (list) => {
      const run: Run = { userId: await newUser(), tag: crypto.randomBytes(6).toString('hex'), model: new LotModel(), interviews: [] };
      for (const s of list) {
        await apply(run, s);
        await checkProperties(run, s);
      }
    }), { numRuns: RUNS, examples: [[issueReproduction], [splitHold], [twoPayments]] });
  });
});
