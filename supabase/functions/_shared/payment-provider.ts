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
  successUrl: string;
  cancelUrl: string;
  /** The wallet's provider customer (billing_customers), reused so one customer holds its cards and subscription. */
  customerId?: string | null;
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
    /** customer.subscription.created|updated|deleted: the subscription's state at `eventCreated`. */
    kind: 'subscription_changed';
    eventId: string;
    eventType: 'customer.subscription.created' | 'customer.subscription.updated' | 'customer.subscription.deleted';
    subscription: SubscriptionSnapshot;
  }
  | { kind: 'invoice_paid'; eventId: string; invoice: InvoiceSnapshot }
  | { kind: 'invoice_failed'; eventId: string; invoice: InvoiceSnapshot }
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

/**
 * A subscription as public.apply_subscription_event takes it (snake_case keys, epoch seconds
 * turned into ISO timestamps by the SQL): the plan is named three ways, the SQL picks the first
 * that matches (price lookup_key = plan id, plans.provider_price_id, our checkout's metadata).
 */
export interface SubscriptionSnapshot {
  subscription_id: string;
  customer_id: string | null;
  status: string;
  plan_id: string | null;
  price_id: string;
  lookup_key: string | null;
  user_id: string | null;
  team_id: string | null;
  current_period_start: number;
  current_period_end: number;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  /** Stripe's event.created: deliveries come in any order, the SQL keeps the newest state. */
  event_created: number;
}

/** A subscription invoice as public.apply_invoice_paid / apply_invoice_failed take it. */
export interface InvoiceSnapshot {
  invoice_id: string;
  subscription_id: string;
  customer_id: string | null;
  payment_intent: string | null;
  amount_paid: number;
  amount_due: number;
  /** The subscription line's amount (the plan's price, before discounts, balance and exclusive tax). */
  line_amount: number;
  currency: string;
  billing_reason: string | null;
  /** The subscription line's period (the invoice's own period_start/end is the previous one). */
  period_start: number;
  period_end: number;
  plan_id: string | null;
  price_id: string | null;
  lookup_key: string | null;
  /** An upgrade's invoice (subscription_update): the price of the unused-time credit line, the plan left. */
  previous_price_id: string | null;
  previous_lookup_key: string | null;
  user_id: string | null;
  team_id: string | null;
  attempt_count: number | null;
  next_payment_attempt: number | null;
  event_created: number;
}

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
  /** A checkout that starts a subscription to `input.plan` (kind 'subscription'); the invoices grant the credits. */
  createSubscriptionCheckout(input: CheckoutInput): Promise<CreatedCheckout>;
  /** Where the customer manages the subscription: Stripe's customer portal, or the local portal page. */
  createPortalSession(input: PortalInput): Promise<{ url: string }>;
  /**
   * Charges the saved card without the customer present. Declines and required authentication
   * are results, not errors; throws HttpError 502 `provider_error` only when the provider could
   * not be asked (retried later with the same idempotency key).
   */
  chargeOffSession(charge: OffSessionCharge): Promise<ChargeResult>;
  /** Throws HttpError 400 `bad_signature` unless the raw body is signed with the webhook secret. */
  verifyWebhook(rawBody: string, signatureHeader: string | null): Promise<PaymentEvent>;
}

export interface PortalInput {
  /** Our public.subscriptions id (the local portal page reads the row by it). */
  subscriptionId: string;
  /** The provider's customer (Stripe: cus_…), null when the subscription has not reported one yet. */
  customerId: string | null;
  returnUrl: string;
}

/** Metadata our checkout attaches to a session, read back from the completed event. */
export function checkoutMetadata(input: CheckoutInput): Record<string, string> {
  const metadata: Record<string, string> = { user_id: input.userId, plan_id: input.plan.id, credits: String(input.plan.credits) };
  if (input.teamId) metadata.team_id = input.teamId;
  return metadata;
}
