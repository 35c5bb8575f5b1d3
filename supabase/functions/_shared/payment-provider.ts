// What the functions need from a payment provider, whichever one runs: create a hosted checkout
// for a plan, and turn a webhook delivery into a verified, normalised event.
import type { ChargeOutcome, ChargeResult } from './payment-intent.ts';
import type { PlanRow } from './schemas.ts';

export type ProviderName = 'stripe' | 'local';

export interface CheckoutInput {
  userId: string;
  /** The team whose wallet gets the credits; null: the buyer's own. */
  teamId: string | null;
  email: string | null;
  plan: PlanRow;
  /** The wallet's provider customer (billing_customers), reused so its saved card stays one customer's. */
  customerId?: string | null;
  successUrl: string;
  cancelUrl: string;
}

export interface CreatedCheckout {
  provider: ProviderName;
  sessionId: string;
  url: string;
}

/** A webhook event reduced to what settles a payment; amounts in minor units. */
export type PaymentEvent =
  | {
    kind: 'checkout_paid';
    eventId: string;
    eventType: 'checkout.session.completed' | 'checkout.session.async_payment_succeeded';
    sessionId: string;
    amountTotal: number | null;
    currency: string | null;
    paymentIntent: string | null;
    /** Set by our own checkout when it created the session; used only if the pending row is missing. */
    userId: string | null;
    planId: string | null;
    teamId: string | null;
  }
  | {
    kind: 'checkout_failed';
    eventId: string;
    sessionId: string;
    reason: 'expired' | 'async_payment_failed';
  }
  | {
    kind: 'charge_refunded';
    eventId: string;
    paymentIntent: string;
    amountRefunded: number;
    currency: string;
  }
  | {
    /** payment_intent.succeeded / payment_failed of an auto top-up (metadata purpose auto_topup). */
    kind: 'topup_charge';
    eventId: string;
    eventType: 'payment_intent.succeeded' | 'payment_intent.payment_failed';
    requestId: string;
    outcome: ChargeOutcome;
    paymentIntent: string;
    amountCents: number | null;
    currency: string | null;
    detail: string | null;
  }
  | {
    /** A checkout's payment_intent.succeeded that saved the card for off-session use. */
    kind: 'card_saved';
    eventId: string;
    walletId: string;
    provider: ProviderName;
    customerId: string;
    paymentMethod: string;
  }
  | { kind: 'ignored'; eventId: string; eventType: string; why: string }
  /** Signed by the provider but unusable (malformed): recorded as rejected, never retried. */
  | { kind: 'rejected'; eventId: string; eventType: string; why: string };

/** An off-session charge of a saved card (auto top-up); amounts in minor units. */
export interface OffSessionCharge {
  /** topup:<request id>: the same request charges once however often it is retried. */
  idempotencyKey: string;
  customerId: string;
  paymentMethod: string;
  amountCents: number;
  currency: string;
  metadata: { purpose: 'auto_topup'; request_id: string; wallet_id: string; plan_id: string };
}

export interface PaymentProvider {
  readonly name: ProviderName;
  createCheckout(input: CheckoutInput): Promise<CreatedCheckout>;
  /**
   * Charges the saved card without the customer present. Declines and required authentication
   * are results, not errors; throws HttpError 502 `provider_error` only when the provider could
   * not be asked (retried later with the same idempotency key).
   */
  chargeOffSession(charge: OffSessionCharge): Promise<ChargeResult>;
  /** Throws HttpError 400 `bad_signature` unless the raw body is signed with the webhook secret. */
  verifyWebhook(rawBody: string, signatureHeader: string | null): Promise<PaymentEvent>;
}

/** Metadata our checkout attaches to a session, read back from the completed event. */
export function checkoutMetadata(input: CheckoutInput): Record<string, string> {
  const metadata: Record<string, string> = { user_id: input.userId, plan_id: input.plan.id, credits: String(input.plan.credits) };
  if (input.teamId) metadata.team_id = input.teamId;
  return metadata;
}
