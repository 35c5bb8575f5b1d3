// Builds the `checkout.session.completed` event Stripe would send for a local checkout, in
// Stripe's object shape, and signs it exactly as Stripe does, so the webhook cannot tell the
// difference and the production code path settles local payments too.
import Stripe from 'stripe';
import { randomToken } from './local-provider.ts';
import type { PaymentRow } from './payments-db.ts';
import type { OffSessionCharge } from './payment-provider.ts';
import type { StripePaymentIntent } from './payment-intent.ts';
import { LOCAL_SESSION_PREFIX, type LocalTestCard } from './schemas.ts';

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** One payment intent per local session, derived from it, so refunds can name it in tests. */
export function localPaymentIntent(sessionId: string): string {
  return `pi_local_${sessionId.slice(LOCAL_SESSION_PREFIX.length)}`;
}

/** A Stripe event around `object`, in the shape and API version Stripe sends. */
export function stripeEventEnvelope(type: string, object: unknown, created: number) {
  return {
    id: `evt_local_${randomToken(24)}`,
    object: 'event' as const,
    api_version: Stripe.API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export function localCheckoutCompletedEvent(payment: PaymentRow, siteUrl: string, now = new Date()) {
  const created = Math.floor(now.getTime() / 1000);
  const metadata: Record<string, string> = { user_id: payment.user_id, plan_id: payment.plan_id, credits: String(payment.credits) };
  if (payment.team_id) metadata.team_id = payment.team_id;
  return stripeEventEnvelope('checkout.session.completed', {
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
  }, created);
}

/** The local customer of a wallet (one per wallet, as our Stripe checkout keeps one). */
export function localCustomerId(walletId: string): string {
  return `cus_local_${walletId.replaceAll('-', '')}`;
}

async function shortDigest(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest.slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The PaymentIntent Stripe would answer for an off-session charge of a local test card. */
export async function localOffSessionIntent(charge: OffSessionCharge): Promise<StripePaymentIntent> {
  const id = `pi_local_${await shortDigest(charge.idempotencyKey)}`;
  const base = {
    id, object: 'payment_intent' as const, amount: charge.amountCents, currency: charge.currency,
    customer: charge.customerId, payment_method: charge.paymentMethod, setup_future_usage: null, metadata: charge.metadata,
  };
  if (charge.paymentMethod === 'pm_card_chargeCustomerFail') {
    return { ...base, status: 'requires_payment_method', amount_received: 0,
      last_payment_error: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } };
  }
  if (charge.paymentMethod === 'pm_card_authenticationRequired') {
    return { ...base, status: 'requires_payment_method', amount_received: 0,
      last_payment_error: { code: 'authentication_required', decline_code: 'authentication_required',
        message: 'Your card was declined. This transaction requires authentication.' } };
  }
  return { ...base, status: 'succeeded', amount_received: charge.amountCents, last_payment_error: null };
}

/** The event Stripe sends about an intent: payment_intent.succeeded, or payment_failed. */
export function localPaymentIntentEvent(intent: StripePaymentIntent, now = new Date()) {
  const type = intent.status === 'succeeded' ? 'payment_intent.succeeded' : 'payment_intent.payment_failed';
  return stripeEventEnvelope(type, intent, Math.floor(now.getTime() / 1000));
}

/**
 * The payment_intent.succeeded of a local checkout that saved the chosen test card on the
 * wallet's customer (what Stripe sends after a Checkout with setup_future_usage off_session).
 */
export function localCheckoutIntent(payment: PaymentRow, card: LocalTestCard): StripePaymentIntent {
  const metadata: Record<string, string> = { user_id: payment.user_id, plan_id: payment.plan_id, credits: String(payment.credits) };
  if (payment.team_id) metadata.team_id = payment.team_id;
  return {
    id: localPaymentIntent(payment.provider_session_id), object: 'payment_intent', status: 'succeeded',
    amount: payment.amount_cents, amount_received: payment.amount_cents, currency: payment.currency,
    customer: localCustomerId(payment.team_id ?? payment.user_id), payment_method: card, setup_future_usage: 'off_session',
    metadata, last_payment_error: null,
  };
}

/** The `Stripe-Signature` header for a payload, as Stripe computes it (t=…,v1=HMAC-SHA256). */
export function signStripePayload(payload: string, secret: string, timestamp?: number): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp, cryptoProvider });
}
