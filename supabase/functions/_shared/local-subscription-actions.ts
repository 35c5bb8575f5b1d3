// What Stripe would send for each thing the local portal can do to a subscription: the next
// state of the subscription and the events that report it, in the order Stripe sends them.
// Pure (no database, no clock): local-subscription reads the row and the plans, then delivers.
import {
  type InvoiceLine,
  invoiceEvent,
  localInvoiceId,
  type LocalSubscriptionState,
  periodEndAfter,
  subscriptionEvent,
} from './local-subscription-events.ts';
import { HttpError } from './errors.ts';
import type { PlanRow } from './schemas.ts';

export type LocalAction = 'renew' | 'fail_renewal' | 'cancel_at_period_end' | 'resume' | 'cancel_now' | 'change_plan';

type LocalEvent = ReturnType<typeof subscriptionEvent> | ReturnType<typeof invoiceEvent>;

function cycleLine(plan: PlanRow, start: number, end: number): InvoiceLine {
  return { plan, amount: plan.price_cents, start, end, proration: false };
}

/** The first period's events: the subscription starts and its first invoice is paid. */
export function startEvents(state: LocalSubscriptionState, now: number): { invoiceId: string; events: LocalEvent[] } {
  const invoiceId = localInvoiceId(state.subscriptionId, state.periodStart);
  return {
    invoiceId,
    events: [
      subscriptionEvent('created', state, now),
      invoiceEvent('paid', state, { id: invoiceId, billingReason: 'subscription_create', lines: [cycleLine(state.plan, state.periodStart, state.periodEnd)] }, now),
    ],
  };
}

export function actionEvents(state: LocalSubscriptionState, action: LocalAction, now: number, newPlan?: PlanRow): LocalEvent[] {
  if (state.status === 'canceled') throw new HttpError(409, 'conflict', 'The subscription has ended.');
  const interval = state.plan.billing_interval ?? 'month';
  switch (action) {
    case 'renew': {
      if (state.status === 'past_due') {
        // The failed renewal's invoice is paid at last: same invoice, same period.
        const paid = { ...state, status: 'active' as const };
        return [
          invoiceEvent('paid', paid, { id: localInvoiceId(state.subscriptionId, state.periodStart), billingReason: 'subscription_cycle', lines: [cycleLine(state.plan, state.periodStart, state.periodEnd)], attemptCount: 2 }, now),
          subscriptionEvent('updated', paid, now),
        ];
      }
      if (state.cancelAtPeriodEnd) {
        // The period ends and the subscription with it: Stripe deletes it instead of renewing.
        return [subscriptionEvent('deleted', { ...state, status: 'canceled', canceledAt: now }, now)];
      }
      const next = { ...state, periodStart: state.periodEnd, periodEnd: periodEndAfter(state.periodEnd, interval) };
      return [
        subscriptionEvent('updated', next, now),
        invoiceEvent('paid', next, { id: localInvoiceId(next.subscriptionId, next.periodStart), billingReason: 'subscription_cycle', lines: [cycleLine(next.plan, next.periodStart, next.periodEnd)] }, now),
      ];
    }
    case 'fail_renewal': {
      if (state.cancelAtPeriodEnd) throw new HttpError(409, 'conflict', 'The subscription ends at the period end: there is no renewal to fail.');
      // A first failure moves to the next period (Stripe advances it whatever the payment); a
      // further one is another attempt at the same invoice.
      const next = state.status === 'past_due'
        ? { ...state }
        : { ...state, status: 'past_due' as const, periodStart: state.periodEnd, periodEnd: periodEndAfter(state.periodEnd, interval) };
      return [
        invoiceEvent('payment_failed', next, {
          id: localInvoiceId(next.subscriptionId, next.periodStart),
          billingReason: 'subscription_cycle',
          lines: [cycleLine(next.plan, next.periodStart, next.periodEnd)],
          attemptCount: state.status === 'past_due' ? 2 : 1,
        }, now),
        subscriptionEvent('updated', next, now),
      ];
    }
    case 'cancel_at_period_end':
    case 'resume':
      return [subscriptionEvent('updated', { ...state, cancelAtPeriodEnd: action === 'cancel_at_period_end' }, now)];
    case 'cancel_now':
      return [subscriptionEvent('deleted', { ...state, status: 'canceled', cancelAtPeriodEnd: false, canceledAt: now }, now)];
    case 'change_plan':
      if (!newPlan) throw new HttpError(400, 'invalid_request', 'change_plan needs a plan_id.');
      return changePlanEvents(state, newPlan, now);
  }
}

/**
 * A plan change as Stripe's portal makes it (proration_behavior create_prorations, charged at
 * once for an upgrade): the item's price changes; the same interval keeps the period, another
 * interval starts a new period now. An upgrade (more credits) is invoiced at once
 * (billing_reason subscription_update: a credit for the unused time at the old price and a charge
 * for the rest of the period at the new one); a downgrade waits for the next renewal's invoice.
 */
function changePlanEvents(state: LocalSubscriptionState, plan: PlanRow, now: number): LocalEvent[] {
  if (plan.id === state.plan.id) throw new HttpError(400, 'invalid_request', 'The subscription is already on that plan.');
  const newInterval = plan.billing_interval ?? 'month';
  const sameInterval = newInterval === (state.plan.billing_interval ?? 'month');
  const next = sameInterval
    ? { ...state, plan }
    : { ...state, plan, periodStart: now, periodEnd: periodEndAfter(now, newInterval) };
  const events: LocalEvent[] = [subscriptionEvent('updated', next, now)];
  if (plan.credits <= state.plan.credits) return events;
  const unused = Math.min(1, Math.max(0, (state.periodEnd - now) / Math.max(1, state.periodEnd - state.periodStart)));
  const lineStart = Math.max(now, next.periodStart);
  const charge = sameInterval ? Math.round(plan.price_cents * unused) : plan.price_cents;
  const lines: InvoiceLine[] = [
    { plan: state.plan, amount: -Math.round(state.plan.price_cents * unused), start: Math.max(now, state.periodStart), end: state.periodEnd, proration: true },
    { plan, amount: charge, start: lineStart, end: next.periodEnd, proration: true },
  ];
  if (lines[0].amount + lines[1].amount <= 0) return events;
  events.push(invoiceEvent('paid', next, { id: `${localInvoiceId(next.subscriptionId, lineStart)}_upd${now}`, billingReason: 'subscription_update', lines }, now));
  return events;
}
