// The shape of subscription_status(team_id)'s jsonb (supabase/README.md, subscriptions): null when
// the workspace has no subscription, else the plan, its state and what happens at period end.
// Checked here before use, since RPCs are typed `Json`; unknown extra keys are ignored.
import { z } from 'zod';

// Counts as in billingSchemas.ts: never below zero, whatever arrives.
const count = z.number().transform((n) => Math.max(0, n));

export const SUBSCRIPTION_STATES = ['incomplete', 'active', 'trialing', 'past_due', 'unpaid', 'canceled', 'incomplete_expired', 'paused'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

export const subscriptionStatusSchema = z.object({
  subscription_id: z.string().optional(),
  plan_id: z.string(),
  plan_name: z.string(),
  // A state Stripe adds later must not blank the card: it reads as "unknown" (subscriptionWords.ts).
  status: z.string(),
  billing_interval: z.string().nullable().default(null),
  credits_per_period: count.default(0),
  // The plan's price per period (absent from an older server: the card then reads the plans table).
  price_cents: z.number().optional(),
  currency: z.string().optional(),
  current_period_start: z.string().nullable().optional(),
  current_period_end: z.string().nullable().default(null),
  cancel_at_period_end: z.boolean().default(false),
  period_end_policy: z.enum(['expire', 'rollover']).nullable().catch(null).default(null),
  // Of the credits the subscription granted and still left: what is lost at period end, and what carries over.
  expiring_at_period_end: count.default(0),
  rolling_over_at_period_end: count.default(0),
  rollover_expires_at: z.string().nullable().default(null),
  can_manage: z.boolean().default(false),
});
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;

/** subscription_status's answer: null (no subscription) or one subscription. */
export const subscriptionStatusResultSchema = subscriptionStatusSchema.nullable();

/** The states in which the workspace still has its subscription (Stripe's "not ended"), so no second one is offered. */
export function isLive(subscription: SubscriptionStatus | null | undefined): boolean {
  return !!subscription && !['canceled', 'incomplete_expired', 'incomplete'].includes(subscription.status);
}
