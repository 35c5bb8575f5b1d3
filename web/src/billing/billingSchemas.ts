// Shapes of the JSON the credit functions and the checkout function return (supabase/README.md).
// RPCs are typed `Json` by supabase gen types, so results are checked here before use.
import { z } from 'zod';

export const balanceResultSchema = z.object({ balance: z.number().int().nonnegative() });

export const billingSummarySchema = z.object({
  balance: z.number().int(),
  total_purchased: z.number().int(),
  total_spent: z.number().int(),
  total_refunded: z.number().int(),
  // With these, purchased + granted + refunded + adjusted - spent - reversed - expired = balance.
  total_granted: z.number().int().default(0),
  total_adjusted: z.number().int().default(0),
  total_reversed: z.number().int().default(0),
  total_expired: z.number().int().default(0),
  interviews_created: z.number().int(),
  // Held by scheduled interviews: not spendable, not spent yet (balance above is what is available).
  reserved: z.number().int().default(0),
  // The soonest-expiring live lots, soonest first (at most 3).
  expiring: z.array(z.object({ expires_at: z.string(), credits: z.number().int().positive() })).default([]),
});
export type BillingSummary = z.infer<typeof billingSummarySchema>;

// One row of credit_history's entries (supabase/README.md): the ledger columns the SPA shows.
export const ledgerEntrySchema = z.object({
  id: z.number().int(),
  delta: z.number().int(),
  balance_after: z.number().int(),
  reserved_delta: z.number().int(),
  reserved_after: z.number().int(),
  kind: z.string(),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  interview_id: z.string().nullable(),
  payment_id: z.string().nullable(),
  created_at: z.string(),
});

/** A keyset page of credit_history: pass next_before_id back for the next (older) page; null = no more. */
export const creditHistoryPageSchema = z.object({
  entries: z.array(ledgerEntrySchema),
  next_before_id: z.number().int().nullable(),
});
export type CreditHistoryPage = z.infer<typeof creditHistoryPageSchema>;

export const checkoutSessionSchema = z.object({
  url: z.string().min(1),
  session_id: z.string().min(1),
  payment_id: z.string().optional(),
});
export type CheckoutSession = z.infer<typeof checkoutSessionSchema>;
