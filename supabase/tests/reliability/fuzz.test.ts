// Bad input, property-based (fast-check): every RPC and Edge Function gets bodies of random
// types, sizes, unicode and SQL-looking strings, as a signed-in recruiter (and the service role
// where it may call). Every answer must be a success that moved the balance by exactly what it
// says (the amount asked for, the cost held, the credits released) in both its parts (available
// and reserved) and keeps the ledger invariant, or a 4xx with a stable code that changed neither;
// never a 5xx. The service-only functions must
// refuse the recruiter every time: 403 `42501`, whatever the arguments.
import fc from 'fast-check';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_URL, closeDb, db, grantCredits, signUpUser, stackEnv, walletOf, type SignedUpUser } from '../../../test-support/stack.ts';
import { expectInvariant } from './_invariant.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

afterAll(closeDb);

let recruiter: SignedUpUser;
/** Interviews the cancel target cancelled (2xx), to check each was released exactly once. */
const cancelled = new Set<string>();

beforeAll(async () => {
  recruiter = await signUpUser('fuzz');
  await grantCredits(recruiter.user.id, 10_000);
});

/** Stands for the recruiter's id in a body. */
const SELF = 'self';
/** Stands for a scheduled interview of the recruiter's, created just before the call. */
const FRESH_INTERVIEW = 'fresh-interview';

async function freshInterview(): Promise<string> {
  const { data, error } = await recruiter.client.rpc('create_interview', { job_position: 'Fuzz target', duration_minutes: 30 });
  if (error) throw error;
  return (data as { interview_id: string }).interview_id;
}

const sqlish = fc.constantFrom(
  "'; drop table public.users; --", "1 or 1=1", "1); update public.users set credits = 999999; --", '$$; select 1; $$',
  "' || pg_sleep(5) || '", '%', '_', 'null', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', '{}', '[]', '"', '\\',
  '🙂'.repeat(300), '\u202e\u0000', 'a\u0000b', '\ud800', 'cs_local_'.padEnd(300, 'x'), 'pack_5', 'technical',
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.integer({ min: -(2 ** 53), max: 2 ** 53 }), fc.double(),
  fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 6000 }), sqlish, fc.uuid(),
  fc.jsonValue({ maxDepth: 2 }),
);
const amount = fc.oneof(fc.integer({ min: -3, max: 12_000 }), anyValue);
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 250 }), anyValue);
const duration_minutes = fc.oneof(fc.constantFrom(15, 30, 45, 60, 90, 120), amount);
const interview_type = fc.oneof(fc.constantFrom('technical', 'behavioral', 'screening', 'culture_fit'), text);
// A lot's expiry: none, days ahead (accepted), days ago (refused: 22023 invalid_expires_at), or anything.
const DAY_MS = 86_400_000;
const expires_at = fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 400 }).map((d) => new Date(Date.now() + d * DAY_MS).toISOString()),
  fc.integer({ min: 1, max: 400 }).map((d) => new Date(Date.now() - d * DAY_MS).toISOString()), anyValue);
const promotional = fc.oneof({ weight: 2, arbitrary: fc.boolean() }, anyValue);

/** A body: mostly the function's own argument names (`required` always) with random values, sometimes anything. */
function body(fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []): fc.Arbitrary<unknown> {
  const named = fc.tuple(
    fc.record(fields, { requiredKeys: required }),
    fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 2 }),
    fc.boolean(),
  ).map(([own, extra, withExtra]) => (withExtra ? { ...extra, ...own } : own));
  return fc.oneof({ weight: 4, arbitrary: named }, { weight: 1, arbitrary: anyValue });
}

/**
 * A body a service-only function resolves (its required arguments, optional ones or not, no
 * others), with random values: PostgREST then always reaches the permission check, so anything
 * but 42501 means the recruiter was let in.
 */
function callOf(required: Record<string, fc.Arbitrary<unknown>>, optional: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return fc.record({ ...required, ...optional }, { requiredKeys: Object.keys(required) });
}

type Args = Record<string, unknown>;
type Answer = { replayed?: boolean; cost?: number; refunded?: number; released?: number; recovered?: number; expired?: number } | undefined;

interface Target {
  name: string;
  path: string;
  as: 'user' | 'service';
  body: fc.Arbitrary<unknown>;
  headers?: (payload: string) => Record<string, string>;
  /** Random bodies include valid calls often enough that some must succeed. */
  expectSuccesses?: boolean;
  /** False where every well-signed body is acknowledged (2xx) by design, malformed ones as rejected. */
  refusesSome?: boolean;
  /** Every call must be refused with 403 42501 (a function the caller may not execute). */
  refused?: boolean;
  /** How a success moves the recruiter's available balance (none when absent); a replay moves nothing. */
  delta?: (args: Args, answer: Answer) => number;
  /** How a success moves the reserved balance (none when absent); a replay moves nothing. */
  reservedDelta?: (args: Args, answer: Answer) => number;
}

const asked = (field: string, sign: 1 | -1) => (args: Args): number => sign * Number(args[field]);

const targets: Target[] = [
  {
    name: 'rpc deduct_credits', path: '/rest/v1/rpc/deduct_credits', as: 'user', expectSuccesses: true, delta: asked('amount', -1),
    body: body({ amount, reason: text, idempotency_key: text }),
  },
  {
    name: 'rpc create_interview', path: '/rest/v1/rpc/create_interview', as: 'user', expectSuccesses: true,
    delta: (_, answer) => -Number(answer?.cost), reservedDelta: (_, answer) => Number(answer?.cost),
    body: body({
      job_position: text, job_description: text, idempotency_key: text,
      duration_minutes, interview_type,
    }),
  },
  {
    // The recruiter's credits come only from grants that never expire (no refunded payment): all
    // of a release is available again, nothing recovered or expired.
    name: 'rpc cancel_interview', path: '/rest/v1/rpc/cancel_interview', as: 'user', expectSuccesses: true,
    delta: (_, answer) => Number(answer?.released),
    reservedDelta: (_, answer) => -Number(answer?.released),
    body: body({ interview_id: fc.oneof({ weight: 3, arbitrary: fc.constant(FRESH_INTERVIEW) }, fc.uuid(), anyValue), idempotency_key: text }),
  },
  { name: 'rpc billing_summary', path: '/rest/v1/rpc/billing_summary', as: 'user', body: body({}) },
  {
    name: 'rpc credit_history', path: '/rest/v1/rpc/credit_history', as: 'user', expectSuccesses: true,
    body: body({ before_id: fc.oneof(fc.integer({ min: -3, max: 2 ** 31 }), anyValue), page_size: fc.oneof(fc.integer({ min: -3, max: 250 }), anyValue) }),
  },
  { name: 'rpc interview_cost', path: '/rest/v1/rpc/interview_cost', as: 'user', expectSuccesses: true, body: body({ duration_minutes, interview_type }) },
  {
    name: 'rpc add_credits (as the user: refused)', path: '/rest/v1/rpc/add_credits', as: 'user', refused: true,
    body: callOf({ user_id: fc.oneof(fc.constant(SELF), anyValue), amount }, { kind: fc.oneof(fc.constant('grant'), text), reason: text, reference: text, idempotency_key: text, expires_at, promotional }),
  },
  {
    name: 'rpc add_credits (service role)', path: '/rest/v1/rpc/add_credits', as: 'service', expectSuccesses: true,
    delta: (args) => (args.user_id === recruiter.user.id ? Number(args.amount) : 0),
    body: body({
      // Weighted towards calls that succeed, so the balance check on a success runs every time.
      user_id: fc.oneof({ weight: 3, arbitrary: fc.constant(SELF) }, fc.uuid(), anyValue),
      amount: fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 10_000 }) }, amount),
      kind: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('grant', 'purchase', 'refund', 'adjustment', 'spend') }, text),
      reason: text, reference: text, idempotency_key: text, expires_at, promotional,
    }, ['user_id', 'amount']),
  },
  {
    // The AI interview runner: a capture spends the held credits, so only the reserved part moves.
    name: 'rpc complete_interview (service role)', path: '/rest/v1/rpc/complete_interview', as: 'service', expectSuccesses: true,
    delta: () => 0, reservedDelta: (_, answer) => -Number((answer as { spent?: number } | undefined)?.spent),
    body: body({ interview_id: fc.oneof({ weight: 3, arbitrary: fc.constant(FRESH_INTERVIEW) }, fc.uuid(), anyValue) }),
  },
  {
    name: 'rpc complete_interview (as the user: refused)', path: '/rest/v1/rpc/complete_interview', as: 'user', refused: true,
    body: callOf({ interview_id: fc.oneof(fc.constant(FRESH_INTERVIEW), anyValue) }, {}),
  },
  {
    name: 'rpc complete_checkout (as the user: refused)', path: '/rest/v1/rpc/complete_checkout', as: 'user', refused: true,
    body: callOf(
      { event_id: text, provider_session_id: text, amount_total: amount, currency: fc.oneof(fc.constant('usd'), text) },
      { payment_intent: text, user_id: fc.oneof(fc.constant(SELF), anyValue), plan_id: fc.oneof(fc.constant('pack_10'), text), event_type: text },
    ),
  },
  {
    name: 'rpc refund_payment (as the user: refused)', path: '/rest/v1/rpc/refund_payment', as: 'user', refused: true,
    body: callOf({ event_id: text, payment_ref: text, amount_refunded: amount }, { currency: text }),
  },
  { name: 'function checkout', path: '/functions/v1/checkout', as: 'user', expectSuccesses: true, body: body({ plan_id: fc.oneof(fc.constantFrom('pack_5', 'pack_10', 'tier_pro', 'nope'), text) }) },
  { name: 'function local-checkout-complete', path: '/functions/v1/local-checkout-complete', as: 'user', body: body({ session_id: text }) },
  {
    name: 'function stripe-webhook (validly signed random events)', path: '/functions/v1/stripe-webhook', as: 'service', refusesSome: false,
    body: body({ id: text, object: fc.constant('event'), type: fc.oneof(fc.constantFrom('checkout.session.completed', 'charge.refunded', 'checkout.session.expired', 'invoice.paid', 'invoice.payment_failed', 'customer.subscription.updated'), text), data: fc.oneof(fc.record({ object: fc.dictionary(fc.string({ maxLength: 20 }), anyValue) }), anyValue) }),
    headers: (payload) => ({ 'Stripe-Signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: stackEnv().STRIPE_WEBHOOK_SECRET }) }),
  },
  {
    name: 'function stripe-webhook (bad signatures)', path: '/functions/v1/stripe-webhook', as: 'service',
    body: body({ id: text, type: text }),
    headers: () => ({ 'Stripe-Signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }),
  },
];

/** The stable error code of a 4xx: PostgREST's `code`, the functions' `error.code`, GoTrue's `error_code`. */
function errorCode(parsed: unknown): string | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const b = parsed as { code?: unknown; error?: unknown; error_code?: unknown };
  if (typeof b.code === 'string' && b.code) return b.code;
  if (typeof b.error === 'object' && b.error !== null && typeof (b.error as { code?: unknown }).code === 'string') return (b.error as { code: string }).code;
  if (typeof b.error_code === 'string' && b.error_code) return b.error_code;
  return undefined;
}

/** The body with its stand-ins filled in: the recruiter's id, a fresh interview's id. */
async function resolve(value: unknown): Promise<unknown> {
  if (value === SELF) return recruiter.user.id;
  if (value === FRESH_INTERVIEW) return freshInterview();
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries: [string, unknown][] = [];
    for (const [k, v] of Object.entries(value)) entries.push([k, await resolve(v)]);
    return Object.fromEntries(entries);
  }
  return value;
}

describe('bad input fuzzing', () => {
  for (const target of targets) {
    it(`${target.name}: a 4xx with a code and no balance change, or a success that keeps the invariant`, async () => {
      const statuses: Record<number, number> = {};
      await fc.assert(fc.asyncProperty(target.body, async (raw) => {
        if ((await walletOf(recruiter.user.id)).credits < 11_000) await grantCredits(recruiter.user.id, 10_000);
        const args = await resolve(raw);
        const payload = JSON.stringify(args) ?? 'null';
        const start = await walletOf(recruiter.user.id);
        const key = target.as === 'user' ? recruiter.session.access_token : stackEnv().SERVICE_ROLE_KEY;
        const response = await fetch(`${API_URL}${target.path}`, {
          method: 'POST',
          headers: { apikey: stackEnv().ANON_KEY, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...target.headers?.(payload) },
          body: payload,
        });
        const textBody = await response.text();
        let parsed: unknown;
        try { parsed = JSON.parse(textBody); } catch { parsed = undefined; }
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        const context = `${target.path} ${payload.slice(0, 300)} -> ${response.status} ${textBody.slice(0, 300)}`;
        expect(response.status, context).toBeLessThan(500);
        expect([200, 201, 204].includes(response.status) || (response.status >= 400 && response.status < 500), context).toBe(true);
        const after = await walletOf(recruiter.user.id);
        if (target.refused) {
          expect([response.status, errorCode(parsed)], context).toEqual([403, '42501']);
        }
        if (response.status >= 400) {
          expect(errorCode(parsed), context).toMatch(/\S/);
          expect(after, context).toEqual(start);
        } else {
          const answer = parsed as Answer;
          const moved = (f: Target['delta']) => (answer?.replayed === true || !f ? 0 : f(args as Args, answer));
          expect(after.credits - start.credits, `balance change of ${context}`).toBe(moved(target.delta));
          expect(after.reserved - start.reserved, `reserved change of ${context}`).toBe(moved(target.reservedDelta));
          if (target.name === 'rpc cancel_interview') {
            expect([answer?.released, answer?.recovered, answer?.expired], context).toEqual([answer?.refunded, 0, 0]);
          }
          if (target.name === 'rpc cancel_interview' && answer?.replayed === false) cancelled.add((args as { interview_id: string }).interview_id);
        }
        await expectInvariant(db(), recruiter.user.id);
      }), { numRuns: RUNS, endOnFailure: true });
      if (process.env.FUZZ_VERBOSE) console.log(target.name, statuses);
      // The generators must reach past the argument checks: some calls succeed, some are refused.
      if (target.expectSuccesses) expect(statuses[200] ?? 0, JSON.stringify(statuses)).toBeGreaterThan(0);
      if (target.refusesSome !== false) expect(Object.entries(statuses).some(([status]) => Number(status) >= 400), JSON.stringify(statuses)).toBe(true);
    });
  }

  it('every interview the cancel target cancelled is cancelled with exactly one release of its whole hold', async () => {
    expect(cancelled.size).toBeGreaterThan(0);
    const { rows } = await db().query<{ id: string; status: string; releases: number; released: number; unreserved: number; other: number }>(`
      select i.id, i.status,
             (select count(*)::int from public.credit_ledger l where l.interview_id = i.id and l.kind = 'release') as releases,
             (select sum(l.delta)::int - i.cost from public.credit_ledger l where l.interview_id = i.id and l.kind = 'release') as released,
             (select sum(l.reserved_delta)::int + i.cost from public.credit_ledger l where l.interview_id = i.id and l.kind = 'release') as unreserved,
             (select count(*)::int from public.credit_ledger l where l.interview_id = i.id and l.kind not in ('hold', 'release')) as other
        from public.interviews i where i.id = any($1::uuid[])`, [[...cancelled]]);
    // released and unreserved are the release's delta and reserved_delta measured against the cost: 0 when exact.
    expect(rows.map((r) => [r.status, r.releases, r.released, r.unreserved, r.other]))
      .toEqual([...cancelled].map(() => ['cancelled', 1, 0, 0, 0]));
    await expectInvariant(db(), recruiter.user.id);
  });
});
