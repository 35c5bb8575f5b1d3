// zod schemas for what the functions accept: request bodies, and the parts of Stripe's event
// objects the webhook relies on (anything else in an event is ignored, as Stripe adds fields).
import { z } from 'zod';

export const CheckoutBody = z.strictObject({
  plan_id: z.string().min(1).max(64).regex(/^[a-z0-9_]+$/, 'expected a plan id such as "pack_5"'),
  /** Buy for a team workspace (owners and admins only); absent or null: the buyer's personal one. */
  team_id: z.uuid('expected a team id (a UUID)').nullable().optional(),
});
export type CheckoutBody = z.infer<typeof CheckoutBody>;

export const LOCAL_SESSION_PREFIX = 'cs_local_';

export const LocalCompleteBody = z.strictObject({
  session_id: z.string().max(128).regex(/^cs_local_[A-Za-z0-9]+$/, 'expected a local checkout session id (cs_local_…)'),
});
export type LocalCompleteBody = z.infer<typeof LocalCompleteBody>;

/** A plan row as the checkout needs it; prices are in minor units. */
export const PlanRow = z.object({
  id: z.string(),
  name: z.string(),
  /** 'subscription' plans are sold through a subscription checkout; every other kind is a one-off payment. */
  kind: z.string(),
  credits: z.number().int().positive(),
  price_cents: z.number().int().positive(),
  currency: z.string(),
  provider_price_id: z.string().nullable(),
  /** Set (month or year) iff kind = 'subscription'. */
  billing_interval: z.enum(['month', 'year']).nullable(),
});
export type PlanRow = z.infer<typeof PlanRow>;

const expandableId = z.union([z.string(), z.object({ id: z.string() })]).nullable().optional()
  .transform((value) => (value == null ? null : typeof value === 'string' ? value : value.id));

/** `checkout.session` (the fields used to settle a payment). */
export const StripeCheckoutSession = z.object({
  id: z.string().min(1),
  object: z.literal('checkout.session'),
  amount_total: z.number().int().nullable(),
  currency: z.string().nullable(),
  payment_status: z.string(),
  payment_intent: expandableId,
  client_reference_id: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  /** 'payment' for packs, 'subscription' for plans whose invoices grant the credits. */
  mode: z.string().optional(),
});

/** `charge` (the fields used to reverse credits after a refund); `amount_refunded` is cumulative. */
export const StripeCharge = z.object({
  id: z.string().min(1),
  object: z.literal('charge'),
  amount: z.number().int().nonnegative(),
  amount_refunded: z.number().int().nonnegative(),
  currency: z.string(),
  payment_intent: expandableId,
});

export const StripeEventEnvelope = z.object({
  id: z.string().min(1),
  object: z.literal('event'),
  type: z.string().min(1),
  /** Epoch seconds; orders subscription states (Stripe does not order its deliveries). */
  created: z.number().int().nonnegative().optional(),
  data: z.object({ object: z.unknown() }),
});

const metadata = z.record(z.string(), z.string()).nullable().optional().transform((value) => value ?? {});
const epochSeconds = z.number().int().nonnegative();

/** A price as subscription items carry it (expanded): the id and the lookup key that names our plan. */
const StripePrice = z.object({ id: z.string().min(1), lookup_key: z.string().nullable().optional() });

/**
 * `subscription` (API 2025-03-31 and later, the SDK's 2026-10-28.endive included): the period
 * lives on each item (`items.data[].current_period_start|end`), no longer on the subscription.
 */
export const StripeSubscription = z.object({
  id: z.string().min(1),
  object: z.literal('subscription'),
  customer: expandableId,
  status: z.enum(['incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused']),
  cancel_at_period_end: z.boolean(),
  canceled_at: epochSeconds.nullable().optional(),
  metadata,
  items: z.object({
    data: z.array(z.object({
      current_period_start: epochSeconds,
      current_period_end: epochSeconds,
      price: StripePrice,
    })).min(1),
  }),
});
export type StripeSubscription = z.infer<typeof StripeSubscription>;

/**
 * An invoice line (API 2025-03-31 and later): the price under `pricing.price_details.price` (an
 * id, or the object when expanded), the subscription under `parent.subscription_item_details`.
 */
const StripeInvoiceLine = z.object({
  amount: z.number().int(),
  period: z.object({ start: epochSeconds, end: epochSeconds }),
  pricing: z.object({ price_details: z.object({ price: z.union([z.string(), StripePrice]) }).nullable().optional() }).nullable().optional(),
  parent: z.object({
    type: z.string(),
    subscription_item_details: z.object({ proration: z.boolean().optional() }).nullable().optional(),
  }).nullable().optional(),
});

/**
 * `invoice` (API 2025-03-31 and later): the subscription and its metadata under
 * `parent.subscription_details`; the payment intent is only in `payments` (present when the
 * event includes it, as the local provider's do; Stripe's own deliveries omit it).
 */
export const StripeInvoice = z.object({
  id: z.string().min(1),
  object: z.literal('invoice'),
  customer: expandableId,
  currency: z.string().min(1),
  amount_paid: z.number().int().nonnegative(),
  amount_due: z.number().int().nonnegative(),
  billing_reason: z.string().nullable().optional(),
  attempt_count: z.number().int().nonnegative().optional(),
  next_payment_attempt: epochSeconds.nullable().optional(),
  parent: z.object({
    type: z.string(),
    subscription_details: z.object({ subscription: expandableId, metadata }).nullable().optional(),
  }).nullable().optional(),
  lines: z.object({ data: z.array(StripeInvoiceLine) }),
  payments: z.object({
    data: z.array(z.object({
      status: z.string().optional(),
      payment: z.object({ payment_intent: expandableId }).nullable().optional(),
    })),
  }).nullable().optional(),
});
export type StripeInvoice = z.infer<typeof StripeInvoice>;

/** billing-portal: the workspace whose subscription to manage (absent or null: the caller's own). */
export const BillingPortalBody = z.strictObject({
  team_id: z.uuid('expected a team id (a UUID)').nullable().optional(),
});

const subscriptionRef = z.uuid('expected a subscription id (a UUID)');

/** local-subscription: what the local portal and checkout pages ask the local "Stripe" to do. */
export const LocalSubscriptionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('complete_checkout'), session_id: LocalCompleteBody.shape.session_id }),
  z.strictObject({
    action: z.enum(['renew', 'fail_renewal', 'cancel_at_period_end', 'resume', 'cancel_now']),
    subscription_id: subscriptionRef,
  }),
  z.strictObject({ action: z.literal('change_plan'), subscription_id: subscriptionRef, plan_id: CheckoutBody.shape.plan_id }),
]);
export type LocalSubscriptionBody = z.infer<typeof LocalSubscriptionBody>;
