// Applies a verified payment event to the database. All idempotency and ordering rules live in
// the SQL functions (race-safe under concurrent replays); this only routes the event.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { PaymentEvent } from './payment-provider.ts';
import { completeCheckout, failCheckout, refundPayment, type SettlementResult } from './payments-db.ts';

export type Settlement =
  | ({ action: 'checkout_paid' | 'checkout_failed' | 'charge_refunded' } & SettlementResult)
  | { action: 'ignored'; event_type: string; why: string };

export async function settleEvent(db: SupabaseClient, event: PaymentEvent): Promise<Settlement> {
  switch (event.kind) {
    case 'checkout_paid':
      return { action: event.kind, ...(await completeCheckout(db, event)) };
    case 'checkout_failed':
      return { action: event.kind, ...(await failCheckout(db, event)) };
    case 'charge_refunded':
      return {
        action: event.kind,
        ...(await refundPayment(db, { eventId: event.eventId, paymentRef: event.paymentIntent, amountRefunded: event.amountRefunded })),
      };
    case 'ignored':
      return { action: 'ignored', event_type: event.eventType, why: event.why };
  }
}
