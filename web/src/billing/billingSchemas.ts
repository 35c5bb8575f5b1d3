// Shapes of the JSON the credit functions and the checkout function return (supabase/README.md).
// RPCs are typed `Json` by supabase gen types, so results are checked here before use.
import { z } from 'zod';
import { parseDbTime } from '../lib/dbTime.ts';

export const balanceResultSchema = z.object({ balance: z.number().int().nonnegative() });
// set_low_balance_alert's answer: the threshold now in force (null: the alert is off).
export const lowBalanceAlertSchema = z.object({ low_balance_threshold: z.number().int().positive().nullable() });

// Counts are any finite number: a bigint total past 2^53 arrives as an inexact float, which zod's
// .int() (safe integers only) would refuse and blank the whole billing page over one figure.
const count = z.number();
// Totals are sums of one sign (supabase/README.md): never shown below zero, whatever arrives.
const total = z.number().transform((n) => Math.max(0, n));

// One lot of what expires next. A lot that never expires ('infinity', or null) carries no notice,
// and an item that is not a lot at all is dropped rather than failing the summary.
const expiringLotSchema = z.object({ expires_at: z.string(), credits: count });
export type ExpiringLot = z.infer<typeof expiringLotSchema>;
const expiringSchema = z.array(z.unknown()).default([]).transform((items) => items.flatMap((item) => {
  const lot = expiringLotSchema.safeParse(item);
  if (!lot.success || lot.data.credits <= 0 || parseDbTime(lot.data.expires_at).kind === 'never') return [];
  return [lot.data];
}));

// One monthly limit (billing.limits_left): remaining is null where there is no limit.
const monthlyLimitSchema = z.object({ monthly_limit: count.nullable(), used: count, remaining: count.nullable() });
const workspaceLimitsSchema = z.object({ member: monthlyLimitSchema, team: monthlyLimitSchema, resets_at: z.string().nullable() });
export type WorkspaceLimits = z.infer<typeof workspaceLimitsSchema>;

export const billingSummarySchema = z.object({
  balance: count,
  total_purchased: total,
  total_spent: total,
  total_refunded: total,
  // With these, purchased + granted + refunded + adjusted_added - adjusted_removed - spent - reversed - expired = available + reserved.
  total_granted: total.default(0),
  // Support's corrections: what support added (goodwill credits included) and what it took back.
  total_adjusted_added: total.default(0),
  total_adjusted_removed: total.default(0),
  total_reversed: total.default(0),
  total_expired: total.default(0),
  interviews_created: count,
  // Held by scheduled interviews: not spendable, not spent yet (balance above is what is available).
  reserved: count.default(0),
  // The soonest-expiring live lots, soonest first (at most 3).
  expiring: expiringSchema,
  // A team workspace only: which team, the caller's role in it, and the monthly limits left.
  team_id: z.string().optional(),
  role: z.enum(['owner', 'admin', 'member']).optional(),
  limits: workspaceLimitsSchema.optional(),
});
export type BillingSummary = z.infer<typeof billingSummarySchema>;

// One row of credit_history's entries (supabase/README.md): the ledger columns the SPA shows.
export const ledgerEntrySchema = z.object({
  id: count,
  delta: count,
  balance_after: count,
  reserved_delta: count,
  reserved_after: count,
  kind: z.string(),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  interview_id: z.string().nullable(),
  payment_id: z.string().nullable(),
  // On a team wallet: who made the change (null for payments, expiries and support).
  member_id: z.string().nullable().optional(),
  // Shown through lib/format.ts, which reads any timestamp Postgres can hold.
  created_at: z.string(),
});

/** A keyset page of credit_history: pass next_before_id back for the next (older) page; null = no more. */
export const creditHistoryPageSchema = z.object({
  entries: z.array(ledgerEntrySchema),
  next_before_id: count.nullable(),
});
export type CreditHistoryPage = z.infer<typeof creditHistoryPageSchema>;

export const checkoutSessionSchema = z.object({
  url: z.string().min(1),
  session_id: z.string().min(1),
  payment_id: z.string().optional(),
});
export type CheckoutSession = z.infer<typeof checkoutSessionSchema>;
