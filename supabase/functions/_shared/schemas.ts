// zod schemas for what the functions accept: request bodies, and the parts of Stripe's event
// objects the webhook relies on (anything else in an event is ignored, as Stripe adds fields).
import { z } from 'zod';

/** POST auto-topup: how many due top-ups one run charges (default 10). */
export const AutoTopupBody = z.strictObject({
  max_requests: z.number().int().min(1).max(100).optional(),
});

export const CheckoutBody = z.strictObject({
  plan_id: z.string().min(1).max(64).regex(/^[a-z0-9_]+$/, 'expected a plan id such as "pack_5"'),
  /** Buy for a team workspace (owners and admins only); absent or null: the buyer's personal one. */
  team_id: z.uuid('expected a team id (a UUID)').nullable().optional(),
});
export type CheckoutBody = z.infer<typeof CheckoutBody>;

export const LOCAL_SESSION_PREFIX = 'cs_local_';

/**
 * Stripe's test payment methods the local checkout page offers; saved on the wallet's local
 * customer, each behaves in auto top-up's off-session charges as Stripe's does: succeeds, is
 * declined, needs the cardholder's authentication.
 */
export const LOCAL_TEST_CARDS = ['pm_card_visa', 'pm_card_chargeCustomerFail', 'pm_card_authenticationRequired'] as const;
export type LocalTestCard = typeof LOCAL_TEST_CARDS[number];

export const LocalCompleteBody = z.strictObject({
  session_id: z.string().max(128).regex(/^cs_local_[A-Za-z0-9]+$/, 'expected a local checkout session id (cs_local_…)'),
  /** The test card paid with (and saved for auto top-up); default pm_card_visa. */
  card: z.enum(LOCAL_TEST_CARDS).optional(),
});
export type LocalCompleteBody = z.infer<typeof LocalCompleteBody>;

/** A plan row as the checkout needs it; prices are in minor units. */
export const PlanRow = z.object({
  id: z.string(),
  name: z.string(),
  credits: z.number().int().positive(),
  price_cents: z.number().int().positive(),
  currency: z.string(),
  provider_price_id: z.string().nullable(),
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
  data: z.object({ object: z.unknown() }),
});
