// Typed calls of the payment SQL functions (service_role only; see supabase/README.md,
// "Payments"). SQL errors with the contract's codes become HttpErrors; anything else is a 500,
// which makes Stripe retry the delivery later.
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { HttpError } from './errors.ts';
import { PlanRow } from './schemas.ts';
import type { ProviderName } from './payment-provider.ts';

const RecordCheckoutResult = z.object({
  payment_id: z.string(),
  status: z.string(),
  credits: z.number().int(),
  amount_cents: z.number().int(),
  currency: z.string(),
  replayed: z.boolean(),
});

export const SettlementResult = z.object({
  payment_id: z.string().nullable(),
  status: z.string(),
  replayed: z.boolean(),
}).passthrough();
export type SettlementResult = z.infer<typeof SettlementResult>;

export const PaymentRow = z.object({
  id: z.string(),
  user_id: z.string(),
  plan_id: z.string(),
  provider: z.string(),
  provider_session_id: z.string(),
  credits: z.number().int(),
  amount_cents: z.number().int(),
  currency: z.string(),
  status: z.string(),
});
export type PaymentRow = z.infer<typeof PaymentRow>;

interface PostgrestLikeError {
  code?: string;
  message: string;
  details?: string | null;
  hint?: string | null;
}

function sqlError(error: PostgrestLikeError): HttpError {
  if (error.code === '22023' && error.message === 'unknown_plan') {
    return new HttpError(400, 'unknown_plan', error.hint ?? 'That plan does not exist or is no longer sold.');
  }
  if (error.code === '22023') return new HttpError(400, 'invalid_request', error.hint ?? error.message);
  if (error.code === '42501') return new HttpError(403, 'forbidden', error.message);
  if (error.code === 'PT409') return new HttpError(409, 'conflict', error.hint ?? error.message);
  console.error('database call failed', error);
  return new HttpError(500, 'internal_error', 'The database could not process the payment; please try again.');
}

async function rpc<S extends z.ZodType>(db: SupabaseClient, fn: string, args: Record<string, unknown>, schema: S): Promise<z.infer<S>> {
  const { data, error } = await db.rpc(fn, args);
  if (error) throw sqlError(error);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    console.error(`unexpected result of ${fn}`, data);
    throw new HttpError(500, 'internal_error', `Unexpected result from ${fn}.`);
  }
  return parsed.data;
}

/** An active plan, or 400 `unknown_plan`. */
export async function activePlan(db: SupabaseClient, planId: string): Promise<PlanRow> {
  const { data, error } = await db.from('plans')
    .select('id, name, credits, price_cents, currency, provider_price_id')
    .eq('id', planId)
    .eq('active', true)
    .maybeSingle();
  if (error) throw sqlError(error);
  if (!data) throw new HttpError(400, 'unknown_plan', `There is no active plan "${planId}".`);
  const plan = PlanRow.safeParse(data);
  if (!plan.success) throw new HttpError(500, 'internal_error', `Plan "${planId}" is misconfigured.`);
  return plan.data;
}

export function recordCheckout(db: SupabaseClient, args: { userId: string; planId: string; provider: ProviderName; sessionId: string }) {
  return rpc(db, 'record_checkout', {
    user_id: args.userId,
    plan_id: args.planId,
    provider: args.provider,
    provider_session_id: args.sessionId,
  }, RecordCheckoutResult);
}

export function completeCheckout(db: SupabaseClient, args: {
  eventId: string;
  sessionId: string;
  amountTotal: number | null;
  currency: string | null;
  paymentIntent: string | null;
  userId: string | null;
  planId: string | null;
}): Promise<SettlementResult> {
  return rpc(db, 'complete_checkout', {
    event_id: args.eventId,
    provider_session_id: args.sessionId,
    amount_total: args.amountTotal,
    currency: args.currency,
    payment_intent: args.paymentIntent,
    user_id: args.userId,
    plan_id: args.planId,
  }, SettlementResult);
}

export function failCheckout(db: SupabaseClient, args: { eventId: string; sessionId: string; reason: 'expired' | 'async_payment_failed' }): Promise<SettlementResult> {
  return rpc(db, 'fail_checkout', {
    event_id: args.eventId,
    provider_session_id: args.sessionId,
    reason: args.reason,
  }, SettlementResult);
}

export function refundPayment(db: SupabaseClient, args: { eventId: string; paymentRef: string; amountRefunded: number }): Promise<SettlementResult> {
  return rpc(db, 'refund_payment', {
    event_id: args.eventId,
    payment_ref: args.paymentRef,
    amount_refunded: args.amountRefunded,
  }, SettlementResult);
}

/** The payment behind a checkout session (service role: the caller checks ownership). */
export async function paymentBySession(db: SupabaseClient, sessionId: string): Promise<PaymentRow | null> {
  const { data, error } = await db.from('payments')
    .select('id, user_id, plan_id, provider, provider_session_id, credits, amount_cents, currency, status')
    .eq('provider_session_id', sessionId)
    .maybeSingle();
  if (error) throw sqlError(error);
  if (!data) return null;
  const row = PaymentRow.safeParse(data);
  if (!row.success) throw new HttpError(500, 'internal_error', 'Unexpected payment row.');
  return row.data;
}
