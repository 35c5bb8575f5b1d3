// Applies a verified payment event to the database. All idempotency and ordering rules live in
// the SQL functions (race-safe under concurrent replays); this only routes the event, and turns
// a permanent refusal into a recorded rejection: Stripe would otherwise redeliver the event for
// days and nothing could ever change the answer. Transient failures still throw (5xx, retried).
import type { SupabaseClient } from '@supabase/supabase-js';
import type { PaymentEvent } from './payment-provider.ts';
import {
  completeCheckout,
  failCheckout,
  isPermanentSqlError,
  refundPayment,
  rejectEvent,
  type SettlementResult,
} from './payments-db.ts';
import { applyInvoiceFailed, applyInvoicePaid, applySubscriptionEvent, type SubscriptionSettlement } from './subscriptions-db.ts';

type AppliedKind = Exclude<PaymentEvent['kind'], 'ignored' | 'rejected'>;

export type Settlement =
  | ({ action: AppliedKind | 'rejected' } & (SettlementResult | SubscriptionSettlement))
  | { action: 'ignored'; event_type: string; why: string };

export async function settleEvent(db: SupabaseClient, event: PaymentEvent): Promise<Settlement> {
  if (event.kind === 'ignored') return { action: 'ignored', event_type: event.eventType, why: event.why };
  if (event.kind === 'rejected') {
    return { action: 'rejected', ...(await rejectEvent(db, { eventId: event.eventId, eventType: event.eventType, reason: event.why })) };
  }
  try {
    const result = await apply(db, event);
    // The SQL refused it without raising (e.g. a refund in another currency): already recorded.
    return { action: result.rejected === true ? 'rejected' : event.kind, ...result };
  } catch (error) {
    if (!isPermanentSqlError(error)) throw error;
    console.error(`event ${event.eventId} rejected: ${error.detail}`);
    return {
      action: 'rejected',
      ...(await rejectEvent(db, { eventId: event.eventId, eventType: eventTypeOf(event), reason: error.detail })),
    };
  }
}

type ApplicableEvent = Extract<PaymentEvent, { kind: AppliedKind }>;

function apply(db: SupabaseClient, event: ApplicableEvent): Promise<SettlementResult | SubscriptionSettlement> {
  switch (event.kind) {
    case 'checkout_paid':
      return completeCheckout(db, event);
    case 'checkout_failed':
      return failCheckout(db, event);
    case 'charge_refunded':
      return refundPayment(db, {
        eventId: event.eventId,
        paymentRef: event.paymentIntent,
        amountRefunded: event.amountRefunded,
        currency: event.currency,
      });
    case 'subscription_changed':
      return applySubscriptionEvent(db, { eventId: event.eventId, eventType: event.eventType, subscription: event.subscription });
    case 'invoice_paid':
      return applyInvoicePaid(db, event);
    case 'invoice_failed':
      return applyInvoiceFailed(db, event);
  }
}

function eventTypeOf(event: ApplicableEvent): string {
  switch (event.kind) {
    case 'checkout_paid':
      return event.eventType;
    case 'checkout_failed':
      return `checkout.session.${event.reason}`;
    case 'charge_refunded':
      return 'charge.refunded';
    case 'subscription_changed':
      return event.eventType;
    case 'invoice_paid':
      return 'invoice.paid';
    case 'invoice_failed':
      return 'invoice.payment_failed';
  }
}
