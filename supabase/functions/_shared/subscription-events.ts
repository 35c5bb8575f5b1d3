// Stripe's subscription and invoice objects reduced to what the subscription SQL functions take
// (payment-provider.ts: SubscriptionSnapshot, InvoiceSnapshot). Shapes of API 2025-03-31 and
// later (the SDK's 2026-10-28.endive): periods on subscription items and invoice lines, the
// invoice's subscription and metadata under parent.subscription_details.
import { MalformedEvent, ourPlanId, ourUserId } from './event-values.ts';
import type { InvoiceSnapshot, SubscriptionSnapshot } from './payment-provider.ts';
import type { StripeInvoice, StripeSubscription } from './schemas.ts';

export function normaliseSubscription(subscription: StripeSubscription, eventCreated: number): SubscriptionSnapshot {
  // Our checkout sells one plan per subscription: one item. The first item names the plan and period.
  const item = subscription.items.data[0];
  return {
    subscription_id: subscription.id,
    customer_id: subscription.customer,
    status: subscription.status,
    plan_id: ourPlanId(subscription.metadata.plan_id),
    price_id: item.price.id,
    lookup_key: item.price.lookup_key ?? null,
    user_id: ourUserId(subscription.metadata.user_id),
    team_id: ourUserId(subscription.metadata.team_id),
    current_period_start: item.current_period_start,
    current_period_end: item.current_period_end,
    cancel_at_period_end: subscription.cancel_at_period_end,
    canceled_at: subscription.canceled_at ?? null,
    event_created: eventCreated,
  };
}

/** The invoice's snapshot, or why it is ignored (an invoice no subscription generated). */
export function normaliseInvoice(invoice: StripeInvoice, eventCreated: number): InvoiceSnapshot | string {
  const details = invoice.parent?.subscription_details;
  if (!details?.subscription) return 'not a subscription invoice';
  const line = subscriptionLine(invoice);
  const price = priceOf(line);
  const previous = unusedTimeLine(invoice);
  const previousPrice = previous ? priceOf(previous) : null;
  const metadata = details.metadata;
  return {
    invoice_id: invoice.id,
    subscription_id: details.subscription,
    customer_id: invoice.customer,
    payment_intent: paymentIntentOf(invoice),
    amount_paid: invoice.amount_paid,
    amount_due: invoice.amount_due,
    // The period line's own amount: the plan's price before discounts, a customer balance and
    // exclusive tax, which amount_paid includes (the SQL checks the price on it).
    line_amount: line.amount,
    currency: invoice.currency,
    billing_reason: invoice.billing_reason ?? null,
    period_start: line.period.start,
    period_end: line.period.end,
    // The metadata is a snapshot of the subscription's at the invoice's finalization: after a plan
    // change in the portal it still names the first plan, so the SQL prefers the price.
    plan_id: ourPlanId(metadata.plan_id),
    price_id: price.id,
    lookup_key: price.lookupKey,
    // An upgrade's credit for the unused time names the plan it leaves (the proration's old plan).
    previous_price_id: previousPrice?.id ?? null,
    previous_lookup_key: previousPrice?.lookupKey ?? null,
    user_id: ourUserId(metadata.user_id),
    team_id: ourUserId(metadata.team_id),
    attempt_count: invoice.attempt_count ?? null,
    next_payment_attempt: invoice.next_payment_attempt ?? null,
    event_created: eventCreated,
  };
}

/**
 * The line that prices the period the invoice pays for: a renewal's (or first) invoice has one
 * subscription line; an upgrade's (billing_reason subscription_update) has a credit for the
 * unused time of the old price and a charge for the rest of the period at the new one, the
 * larger amount.
 */
function subscriptionLine(invoice: StripeInvoice) {
  const lines = invoice.lines.data;
  const ofSubscription = lines.filter((l) => l.parent?.type === 'subscription_item_details');
  const candidates = ofSubscription.length > 0 ? ofSubscription : lines;
  if (candidates.length === 0) throw new MalformedEvent(`Malformed invoice ${invoice.id}: it has no lines.`);
  return candidates.reduce((best, line) => (line.amount > best.amount ? line : best));
}

type Line = StripeInvoice['lines']['data'][number];

/** An upgrade's credit line: a proration of the old price with a negative amount. */
function unusedTimeLine(invoice: StripeInvoice): Line | null {
  return invoice.lines.data.find((l) => l.amount < 0 && l.parent?.subscription_item_details?.proration === true) ?? null;
}

/** A line's price: invoice lines carry its id; the lookup key only when the price was expanded. */
function priceOf(line: Line): { id: string | null; lookupKey: string | null } {
  const price = line.pricing?.price_details?.price ?? null;
  if (price === null) return { id: null, lookupKey: null };
  if (typeof price === 'string') return { id: price, lookupKey: null };
  return { id: price.id, lookupKey: price.lookup_key ?? null };
}

/** Stripe's deliveries carry `payments` only when included; the paid one names the payment intent. */
function paymentIntentOf(invoice: StripeInvoice): string | null {
  const payments = invoice.payments?.data ?? [];
  const paid = payments.find((p) => p.status === 'paid' && p.payment?.payment_intent) ?? payments.find((p) => p.payment?.payment_intent);
  return paid?.payment?.payment_intent ?? null;
}
