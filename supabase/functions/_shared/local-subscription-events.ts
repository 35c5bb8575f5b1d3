// The events Stripe sends over a subscription's life, built in Stripe's object shapes (API
// 2026-10-28.endive, the SDK's: periods on subscription items and invoice lines, the invoice's
// subscription under parent.subscription_details) for the local provider. local-subscription
// signs and posts them to the real webhook, so the production code settles local subscriptions.
import { stripeEventEnvelope } from './local-events.ts';
import type { PlanRow } from './schemas.ts';

/** A local subscription's state, as the next events describe it (times in epoch seconds). */
export interface LocalSubscriptionState {
  subscriptionId: string;
  customerId: string;
  userId: string;
  teamId: string | null;
  plan: PlanRow;
  status: 'active' | 'past_due' | 'canceled';
  periodStart: number;
  periodEnd: number;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
  created: number;
}

export interface InvoiceLine {
  plan: PlanRow;
  amount: number;
  start: number;
  end: number;
  proration: boolean;
}

/** The subscription a local checkout starts, named after its session (one checkout, one subscription). */
export function localSubscriptionId(checkoutSessionId: string): string {
  return `sub_local_${checkoutSessionId.slice('cs_local_'.length)}`;
}


/** A renewal's invoice is named by its period, so paying a failed renewal later pays the same invoice. */
export function localInvoiceId(subscriptionId: string, periodStart: number): string {
  return `in_local_${subscriptionId.slice('sub_local_'.length)}_${periodStart}`;
}

/** The next period's end: one month or one year later (UTC calendar, as Stripe bills). */
export function periodEndAfter(start: number, interval: 'month' | 'year'): number {
  const date = new Date(start * 1000);
  if (interval === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCFullYear(date.getUTCFullYear() + 1);
  return Math.floor(date.getTime() / 1000);
}

function metadataOf(state: Pick<LocalSubscriptionState, 'userId' | 'teamId' | 'plan'>): Record<string, string> {
  const metadata: Record<string, string> = { user_id: state.userId, plan_id: state.plan.id, credits: String(state.plan.credits) };
  if (state.teamId) metadata.team_id = state.teamId;
  return metadata;
}

/** The plan's Stripe price: the configured one, else a local one; its lookup_key is the plan id. */
function priceOf(plan: PlanRow) {
  return {
    id: plan.provider_price_id ?? `price_local_${plan.id}`,
    object: 'price' as const,
    active: true,
    currency: plan.currency,
    livemode: false,
    lookup_key: plan.id,
    metadata: {},
    product: `prod_local_${plan.id}`,
    recurring: { interval: plan.billing_interval ?? 'month', interval_count: 1, usage_type: 'licensed' },
    type: 'recurring' as const,
    unit_amount: plan.price_cents,
  };
}


export function subscriptionObject(state: LocalSubscriptionState) {
  const ended = state.status === 'canceled';
  return {
    id: state.subscriptionId,
    object: 'subscription' as const,
    billing_cycle_anchor: state.periodStart,
    cancel_at: state.cancelAtPeriodEnd ? state.periodEnd : null,
    cancel_at_period_end: state.cancelAtPeriodEnd,
    canceled_at: state.canceledAt,
    collection_method: 'charge_automatically',
    created: state.created,
    currency: state.plan.currency,
    customer: state.customerId,
    ended_at: ended ? state.canceledAt : null,
    items: {
      object: 'list' as const,
      data: [{
        id: `si_local_${state.subscriptionId.slice('sub_local_'.length)}`,
        object: 'subscription_item' as const,
        created: state.created,
        current_period_start: state.periodStart,
        current_period_end: state.periodEnd,
        metadata: {},
        price: priceOf(state.plan),
        quantity: 1,
        subscription: state.subscriptionId,
      }],
      has_more: false,
      url: `/v1/subscription_items?subscription=${state.subscriptionId}`,
    },
    livemode: false,
    metadata: metadataOf(state),
    start_date: state.created,
    status: state.status,
  };
}

export function subscriptionEvent(type: 'created' | 'updated' | 'deleted', state: LocalSubscriptionState, created: number) {
  return stripeEventEnvelope(`customer.subscription.${type}`, subscriptionObject(state), created);
}

/** invoice.paid or invoice.payment_failed for an invoice of `state`'s subscription. */
export function invoiceEvent(
  outcome: 'paid' | 'payment_failed',
  state: LocalSubscriptionState,
  invoice: { id: string; billingReason: 'subscription_create' | 'subscription_cycle' | 'subscription_update'; lines: InvoiceLine[]; attemptCount?: number },
  created: number,
) {
  const total = invoice.lines.reduce((sum, line) => sum + line.amount, 0);
  const paid = outcome === 'paid';
  const paymentIntent = `pi_local_${invoice.id.slice('in_local_'.length)}`;
  const lines = invoice.lines.map((line, index) => ({
    id: `il_local_${invoice.id.slice('in_local_'.length)}_${index}`,
    object: 'line_item' as const,
    amount: line.amount,
    currency: line.plan.currency,
    description: `${line.proration ? 'Remaining time on' : '1 ×'} ${line.plan.name}`,
    invoice: invoice.id,
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: line.proration,
        proration_details: null,
        subscription: state.subscriptionId,
        subscription_item: `si_local_${state.subscriptionId.slice('sub_local_'.length)}`,
      },
    },
    period: { start: line.start, end: line.end },
    // Expanded (as `expand: ['lines.data.pricing.price_details.price']` gives it): the lookup key
    // reaches the SQL as it does on the Stripe path, where the webhook reads it from Stripe's API.
    pricing: { type: 'price_details', price_details: { price: priceOf(line.plan), product: `prod_local_${line.plan.id}` }, unit_amount_decimal: String(line.amount) },
    quantity: 1,
  }));
  return stripeEventEnvelope(`invoice.${outcome}`, {
    id: invoice.id,
    object: 'invoice' as const,
    amount_due: total,
    amount_paid: paid ? total : 0,
    amount_remaining: paid ? 0 : total,
    attempt_count: invoice.attemptCount ?? 1,
    attempted: true,
    billing_reason: invoice.billingReason,
    collection_method: 'charge_automatically',
    created,
    currency: state.plan.currency,
    customer: state.customerId,
    lines: { object: 'list' as const, data: lines, has_more: false, url: `/v1/invoices/${invoice.id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: paid ? null : created + 3 * 24 * 3600,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: metadataOf(state), subscription: state.subscriptionId },
    },
    // Stripe's deliveries include `payments` only when asked; the local ones always do, so
    // refunds of local subscription payments can name the payment intent.
    payments: {
      object: 'list' as const,
      data: paid
        ? [{ id: `inpay_local_${invoice.id.slice('in_local_'.length)}`, object: 'invoice_payment', amount_paid: total, currency: state.plan.currency, invoice: invoice.id, is_default: true, livemode: false, payment: { type: 'payment_intent', payment_intent: paymentIntent }, status: 'paid' }]
        : [],
      has_more: false,
    },
    period_end: created,
    period_start: created,
    status: paid ? 'paid' : 'open',
    total,
  }, created);
}

/** The session of a subscription checkout, completed (it credits nothing: the invoice does). */
export function subscriptionCheckoutCompletedEvent(sessionId: string, state: LocalSubscriptionState, invoiceId: string, siteUrl: string, created: number) {
  return stripeEventEnvelope('checkout.session.completed', {
    id: sessionId,
    object: 'checkout.session' as const,
    amount_subtotal: state.plan.price_cents,
    amount_total: state.plan.price_cents,
    cancel_url: `${siteUrl}/billing?checkout=cancelled`,
    client_reference_id: state.userId,
    created,
    currency: state.plan.currency,
    customer: state.customerId,
    invoice: invoiceId,
    livemode: false,
    metadata: metadataOf(state),
    mode: 'subscription',
    payment_intent: null,
    payment_status: 'paid',
    status: 'complete',
    subscription: state.subscriptionId,
    success_url: `${siteUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}&mode=subscription`,
    url: null,
  }, created);
}
