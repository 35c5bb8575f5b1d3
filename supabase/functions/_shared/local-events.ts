// Builds the `checkout.session.completed` event Stripe would send for a local checkout, in
// Stripe's object shape, and signs it exactly as Stripe does, so the webhook cannot tell the
// difference and the production code path settles local payments too.
import Stripe from 'stripe';
import { randomToken } from './local-provider.ts';
import type { PaymentRow } from './payments-db.ts';
import { LOCAL_SESSION_PREFIX } from './schemas.ts';

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** One payment intent per local session, derived from it, so refunds can name it in tests. */
export function localPaymentIntent(sessionId: string): string {
  return `pi_local_${sessionId.slice(LOCAL_SESSION_PREFIX.length)}`;
}

export function localCheckoutCompletedEvent(payment: PaymentRow, siteUrl: string, now = new Date()) {
  const created = Math.floor(now.getTime() / 1000);
  const metadata: Record<string, string> = { user_id: payment.user_id, plan_id: payment.plan_id, credits: String(payment.credits) };
  if (payment.team_id) metadata.team_id = payment.team_id;
  return {
    id: `evt_local_${randomToken(24)}`,
    object: 'event' as const,
    api_version: Stripe.API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'checkout.session.completed',
    data: {
      object: {
        id: payment.provider_session_id,
        object: 'checkout.session' as const,
        amount_subtotal: payment.amount_cents,
        amount_total: payment.amount_cents,
        cancel_url: `${siteUrl}/billing?checkout=cancelled`,
        client_reference_id: payment.user_id,
        created,
        currency: payment.currency,
        livemode: false,
        metadata,
        mode: 'payment',
        payment_intent: localPaymentIntent(payment.provider_session_id),
        payment_status: 'paid',
        status: 'complete',
        success_url: `${siteUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
        url: null,
      },
    },
  };
}

/** The `Stripe-Signature` header for a payload, as Stripe computes it (t=…,v1=HMAC-SHA256). */
export function signStripePayload(payload: string, secret: string, timestamp?: number): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp, cryptoProvider });
}
