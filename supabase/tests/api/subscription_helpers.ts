// Helpers for the subscription API tests: a subscription's events built by the local provider's
// builders (the Stripe object shapes of API 2026-10-28, the same code local-subscription runs),
// delivered signed to the running stack's webhook by payments_events.ts's `deliver`, and the
// state a test compares: the row, the wallet, the paid invoices.
import crypto from 'node:crypto';
import {
  invoiceEvent,
  localInvoiceId,
  type LocalSubscriptionState,
  periodEndAfter,
  subscriptionEvent,
} from '../../functions/_shared/local-subscription-events.ts';
import type { PlanRow } from '../../functions/_shared/schemas.ts';
import { db } from '../../../test-support/stack.ts';

export type { LocalSubscriptionState };
export { invoiceEvent, localInvoiceId, periodEndAfter, subscriptionEvent };

export async function planRow(id: string): Promise<PlanRow> {
  const { rows } = await db().query<PlanRow>(
    'select id, name, kind, credits, price_cents, currency, provider_price_id, billing_interval from public.plans where id = $1', [id]);
  if (!rows[0]) throw new Error(`no plan ${id}`);
  return rows[0];
}

/** A fresh subscription of `plan` for the wallet, its first period starting at `start` (epoch seconds). */
export function newSubscription(plan: PlanRow, userId: string, start: number, teamId: string | null = null): LocalSubscriptionState {
  return {
    subscriptionId: `sub_local_${crypto.randomBytes(12).toString('hex')}`,
    customerId: `cus_local_${crypto.randomBytes(8).toString('hex')}`,
    userId,
    teamId,
    plan,
    status: 'active',
    periodStart: start,
    periodEnd: periodEndAfter(start, plan.billing_interval ?? 'month'),
    cancelAtPeriodEnd: false,
    canceledAt: null,
    created: start,
  };
}

/** The invoice.paid of a period of `state` (its first: subscription_create; later: subscription_cycle). */
export function periodPaid(state: LocalSubscriptionState, reason: 'subscription_create' | 'subscription_cycle', created: number) {
  return invoiceEvent('paid', state, {
    id: localInvoiceId(state.subscriptionId, state.periodStart),
    billingReason: reason,
    lines: [{ plan: state.plan, amount: state.plan.price_cents, start: state.periodStart, end: state.periodEnd, proration: false }],
  }, created);
}

/** The state after one renewal (the next period). */
export function nextPeriod(state: LocalSubscriptionState): LocalSubscriptionState {
  return { ...state, periodStart: state.periodEnd, periodEnd: periodEndAfter(state.periodEnd, state.plan.billing_interval ?? 'month') };
}

export interface WalletSubscriptionState {
  status: string;
  plan_id: string;
  current_period_start: string | null;
  current_period_end: string | null;
  cancel_at_period_end: boolean;
  credits: number;
  paid_invoices: string[];
  lots: string[];
}

/** What the events of one provider subscription left: the row, the wallet's credits, paid invoices and lots. */
export async function subscriptionOutcome(providerSubscriptionId: string): Promise<WalletSubscriptionState> {
  const { rows } = await db().query<WalletSubscriptionState>(`
    select s.status, s.plan_id, s.current_period_start::text, s.current_period_end::text, s.cancel_at_period_end,
           coalesce(t.credits, u.credits) as credits,
           array(select p.credits || ' ' || p.amount_cents || ' ' || p.status from public.payments p
                  where p.purpose = 'subscription' and p.provider_session_id like 'in_local_' || substr(s.provider_subscription_id, 11) || '%'
                  order by p.provider_session_id) as paid_invoices,
           array(select l.source || ' ' || l.amount || ' until ' || l.expires_at::text from public.credit_lots l
                  where l.user_id = s.wallet_id order by l.expires_at, l.amount) as lots
      from public.subscriptions s
      join public.users u on u.id = s.user_id
      left join public.teams t on t.id = s.team_id
     where s.provider_subscription_id = $1`, [providerSubscriptionId]);
  if (!rows[0]) throw new Error(`no subscription ${providerSubscriptionId}`);
  return rows[0];
}

/** A small seeded PRNG (mulberry32): a failing order can be replayed from the printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every item once or twice (each repeat is the same delivery again), in a shuffled order. */
export function shuffledWithRepeats<T>(items: T[], random: () => number): T[] {
  const out = items.flatMap((item) => (random() < 0.5 ? [item, item] : [item]));
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
