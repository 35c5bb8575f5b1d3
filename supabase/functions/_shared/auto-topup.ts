// One run of the auto-topup function: claim the due top-ups (the SQL checks the cap and records a
// pending payment), charge each saved card off-session, record each final answer. A provider
// that could not be asked leaves the request charging: its lease runs out and a later run charges
// it again with the same idempotency key, so the card is charged once.
import type { SupabaseClient } from '@supabase/supabase-js';
import { HttpError } from './errors.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { claimTopupRequests, type ClaimedTopup, settleAutoTopup } from './payments-db.ts';

export interface TopupRunSummary {
  claimed: number;
  succeeded: number;
  declined: number;
  authentication_required: number;
  /** Charged but not final yet (the webhook settles them), or left for a later run. */
  pending: number;
  errors: number;
}

export async function runAutoTopups(db: SupabaseClient, provider: PaymentProvider, maxRequests = 10): Promise<TopupRunSummary> {
  const claimed = await claimTopupRequests(db, maxRequests);
  const summary: TopupRunSummary = { claimed: claimed.length, succeeded: 0, declined: 0, authentication_required: 0, pending: 0, errors: 0 };
  // One at a time: a run has a handful (one per wallet at most), and the provider limits rates.
  for (const topup of claimed) {
    try {
      const outcome = await chargeOne(db, provider, topup);
      summary[outcome] += 1;
    } catch (error) {
      summary.errors += 1;
      console.error(`auto top-up ${topup.request_id} not charged yet: ${error instanceof Error ? error.message : error}`);
    }
  }
  return summary;
}

async function chargeOne(db: SupabaseClient, provider: PaymentProvider, topup: ClaimedTopup) {
  if (topup.provider !== provider.name) {
    throw new HttpError(500, 'internal_error', `the card was saved with ${topup.provider}, but ${provider.name} is configured`);
  }
  if (!topup.customer_id || !topup.payment_method) {
    throw new HttpError(500, 'internal_error', 'no saved card (billing_customers) for the wallet');
  }
  const result = await provider.chargeOffSession({
    idempotencyKey: topup.idempotency_key,
    customerId: topup.customer_id,
    paymentMethod: topup.payment_method,
    amountCents: topup.amount_cents,
    currency: topup.currency,
    metadata: { purpose: 'auto_topup', request_id: topup.request_id, wallet_id: topup.wallet_id, plan_id: topup.plan_id },
  });
  if (result.outcome === null) return 'pending' as const;
  await settleAutoTopup(db, {
    requestId: topup.request_id,
    outcome: result.outcome,
    paymentIntent: result.paymentIntent,
    amountCents: result.amountCents,
    currency: result.currency,
    detail: result.detail,
  });
  return result.outcome;
}
