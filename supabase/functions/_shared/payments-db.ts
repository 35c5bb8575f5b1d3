// Typed calls of the payment SQL functions (service_role only; see supabase/README.md,
// "Payments"). SQL errors with the contract's codes become HttpErrors that keep the SQLSTATE, so
// the webhook can tell a permanent refusal (recorded as rejected, 2xx) from a transient failure
// (5xx, Stripe retries later).
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { type ErrorCode, HttpError } from './errors.ts';
import { PlanRow } from './schemas.ts';
import { storableText } from './storable-text.ts';
import type { PaymentEvent, ProviderName } from './payment-provider.ts';

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
  team_id: z.string().nullable(),
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

/** A failed SQL call; `sqlCode` is the SQLSTATE ('' when the database was not reached). */
export class SqlCallError extends HttpError {
  constructor(status: number, code: ErrorCode, message: string, readonly sqlCode: string, readonly detail: string) {
    super(status, code, message);
  }
}

/**
 * Errors that the same call will raise again however often it is retried: bad data (class 22),
 * integrity violations (23), and the contract's conflicts (PT409) and refusals (PT402).
 * Everything else (connection failures, 40001/40P01, 57014, 53xxx, 42501 misconfiguration...)
 * may succeed later.
 */
export function isPermanentSqlError(error: unknown): error is SqlCallError {
  return error instanceof SqlCallError &&
    (error.sqlCode.startsWith('22') || error.sqlCode.startsWith('23') || error.sqlCode === 'PT409' || error.sqlCode === 'PT402');
}

export function sqlError(error: PostgrestLikeError): SqlCallError {
  const sqlCode = error.code ?? '';
  const detail = [sqlCode, error.message, error.hint].filter(Boolean).join(' ');
  if (sqlCode === '22023' && error.message === 'unknown_plan') {
    return new SqlCallError(400, 'unknown_plan', error.hint ?? 'That plan does not exist or is no longer sold.', sqlCode, detail);
  }
  if (sqlCode === '22023' && error.message === 'plan_not_subscription') {
    return new SqlCallError(400, 'plan_not_subscription', error.hint ?? 'That plan is not a subscription plan.', sqlCode, detail);
  }
  if (sqlCode === 'PT409' && error.message === 'subscription_exists') {
    return new SqlCallError(409, 'subscription_exists', error.hint ?? 'This workspace already has a subscription.', sqlCode, detail);
  }
  if (sqlCode.startsWith('22')) return new SqlCallError(400, 'invalid_request', error.hint ?? error.message, sqlCode, detail);
  if (sqlCode === '42501' && error.message === 'not_team_admin') {
    return new SqlCallError(403, 'not_team_admin', NOT_TEAM_ADMIN, sqlCode, detail);
  }
  if (sqlCode === '42501') return new SqlCallError(403, 'forbidden', error.message, sqlCode, detail);
  if (sqlCode === 'PT409' || sqlCode.startsWith('23')) {
    return new SqlCallError(409, 'conflict', error.hint ?? error.message, sqlCode, detail);
  }
  console.error('database call failed', error);
  return new SqlCallError(500, 'internal_error', 'The database could not process the payment; please try again.', sqlCode, detail);
}

export async function rpc<S extends z.ZodType>(db: SupabaseClient, fn: string, args: Record<string, unknown>, schema: S): Promise<z.infer<S>> {
  const { data, error } = await db.rpc(fn, args);
  if (error) throw sqlError(error);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    console.error(`unexpected result of ${fn}`, data);
    throw new HttpError(500, 'internal_error', `Unexpected result from ${fn}.`);
  }
  return parsed.data;
}

const NOT_TEAM_ADMIN = 'Only an owner or admin of the team can buy credits for it.';

/** 403 `not_team_admin` unless the user is an owner or admin of the team (a removed member, an outsider, a deleted team: the same answer). */
export async function requireTeamBuyer(db: SupabaseClient, teamId: string, userId: string, message = NOT_TEAM_ADMIN): Promise<void> {
  const { data, error } = await db.from('team_members')
    .select('role')
    .eq('team_id', teamId)
    .eq('user_id', userId)
    .in('role', ['owner', 'admin'])
    .maybeSingle();
  if (error) throw sqlError(error);
  if (!data) throw new HttpError(403, 'not_team_admin', message);
}

/** An active plan, or 400 `unknown_plan`. */
export function activePlan(db: SupabaseClient, planId: string): Promise<PlanRow> {
  return planRow(db, planId, true);
}

/** A plan whether or not it is still sold (a subscription keeps the plan it was bought on). */
export function planById(db: SupabaseClient, planId: string): Promise<PlanRow> {
  return planRow(db, planId, false);
}

async function planRow(db: SupabaseClient, planId: string, activeOnly: boolean): Promise<PlanRow> {
  let query = db.from('plans').select('id, name, kind, credits, price_cents, currency, provider_price_id, billing_interval').eq('id', planId);
  if (activeOnly) query = query.eq('active', true);
  const { data, error } = await query.maybeSingle();
  if (error) throw sqlError(error);
  if (!data) throw new HttpError(400, 'unknown_plan', `There is no active plan "${planId}".`);
  const plan = PlanRow.safeParse(data);
  if (!plan.success) throw new HttpError(500, 'internal_error', `Plan "${planId}" is misconfigured.`);
  return plan.data;
}

export function recordCheckout(
  db: SupabaseClient,
  args: { userId: string; teamId: string | null; planId: string; provider: ProviderName; sessionId: string },
) {
  return rpc(db, 'record_checkout', {
    user_id: args.userId,
    plan_id: args.planId,
    provider: args.provider,
    provider_session_id: args.sessionId,
    team_id: args.teamId,
  }, RecordCheckoutResult);
}

/** A paid checkout as the provider reported it (the normalised event, see payment-provider.ts). */
export type CheckoutPaid = Omit<Extract<PaymentEvent, { kind: 'checkout_paid' }>, 'kind'>;

export function completeCheckout(db: SupabaseClient, args: CheckoutPaid): Promise<SettlementResult> {
  return rpc(db, 'complete_checkout', {
    event_id: args.eventId,
    provider_session_id: args.sessionId,
    amount_total: args.amountTotal,
    currency: args.currency,
    payment_intent: args.paymentIntent,
    user_id: args.userId,
    plan_id: args.planId,
    event_type: args.eventType,
    team_id: args.teamId,
  }, SettlementResult);
}

export function failCheckout(db: SupabaseClient, args: { eventId: string; sessionId: string; reason: 'expired' | 'async_payment_failed' }): Promise<SettlementResult> {
  return rpc(db, 'fail_checkout', {
    event_id: args.eventId,
    provider_session_id: args.sessionId,
    reason: args.reason,
  }, SettlementResult);
}

export function refundPayment(
  db: SupabaseClient,
  args: { eventId: string; paymentRef: string; amountRefunded: number; currency: string | null },
): Promise<SettlementResult> {
  return rpc(db, 'refund_payment', {
    event_id: args.eventId,
    payment_ref: args.paymentRef,
    amount_refunded: args.amountRefunded,
    currency: args.currency,
  }, SettlementResult);
}

/** Records an event that can never be applied, so its redeliveries change nothing (2xx). */
export function rejectEvent(db: SupabaseClient, args: { eventId: string; eventType: string; reason: string }): Promise<SettlementResult> {
  // The event id was made storable by normaliseStripeEvent; the labels may quote what was sent.
  return rpc(db, 'reject_event', {
    event_id: args.eventId.slice(0, 255),
    event_type: storableText(args.eventType.slice(0, 100)),
    reason: storableText(args.reason.slice(0, 1000)),
  }, SettlementResult);
}

/** The payment behind a checkout session (service role: the caller checks ownership). */
export async function paymentBySession(db: SupabaseClient, sessionId: string): Promise<PaymentRow | null> {
  const { data, error } = await db.from('payments')
    .select('id, user_id, team_id, plan_id, provider, provider_session_id, credits, amount_cents, currency, status')
    .eq('provider_session_id', sessionId)
    .maybeSingle();
  if (error) throw sqlError(error);
  if (!data) return null;
  const row = PaymentRow.safeParse(data);
  if (!row.success) throw new HttpError(500, 'internal_error', 'Unexpected payment row.');
  return row.data;
}
