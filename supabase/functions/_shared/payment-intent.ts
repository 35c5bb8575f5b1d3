// Off-session charges (auto top-up) in one vocabulary, whichever way Stripe tells us: the
// PaymentIntent returned by `paymentIntents.create({off_session: true, confirm: true})`, the one
// inside the StripeCardError it throws on a decline, or the one a `payment_intent.*` webhook event
// carries. Only a final answer settles a top-up; anything else waits for the webhook.
import { z } from 'zod';

export type ChargeOutcome = 'succeeded' | 'declined' | 'authentication_required';

export interface ChargeResult {
  /** null: not final yet (processing); the webhook settles it later. */
  outcome: ChargeOutcome | null;
  paymentIntent: string | null;
  amountCents: number | null;
  currency: string | null;
  /** The provider's message for a failure (decline code, bank's reason), for the owner's mail and support. */
  detail: string | null;
}

const expandableId = z.union([z.string(), z.object({ id: z.string() })]).nullable().optional()
  .transform((value) => (value == null ? null : typeof value === 'string' ? value : value.id));

/** `payment_intent` (the fields used to settle an off-session charge or save a card). */
export const StripePaymentIntent = z.object({
  id: z.string().min(1),
  object: z.literal('payment_intent'),
  status: z.string(),
  amount: z.number().int().nonnegative(),
  amount_received: z.number().int().nonnegative().optional(),
  currency: z.string(),
  customer: expandableId,
  payment_method: expandableId,
  setup_future_usage: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  last_payment_error: z.object({
    code: z.string().nullable().optional(),
    decline_code: z.string().nullable().optional(),
    message: z.string().nullable().optional(),
  }).nullable().optional(),
});
export type StripePaymentIntent = z.infer<typeof StripePaymentIntent>;

/** Codes Stripe uses when the bank wants the cardholder present (3-D Secure, SCA). */
const AUTHENTICATION_CODES = new Set(['authentication_required', 'card_authentication_required']);

export function chargeResultOf(intent: StripePaymentIntent, errorCode?: string | null): ChargeResult {
  const error = intent.last_payment_error ?? null;
  const code = errorCode ?? error?.code ?? null;
  const base = { paymentIntent: intent.id, amountCents: intent.amount_received ?? intent.amount, currency: intent.currency.toLowerCase() };
  if (intent.status === 'succeeded') return { ...base, outcome: 'succeeded', detail: null };
  const detail = [error?.message, error?.decline_code ? `(${error.decline_code})` : null].filter(Boolean).join(' ') || null;
  if (intent.status === 'requires_action' || (code !== null && AUTHENTICATION_CODES.has(code)) ||
    (error?.decline_code !== undefined && error?.decline_code !== null && AUTHENTICATION_CODES.has(error.decline_code))) {
    return { ...base, outcome: 'authentication_required', detail: detail ?? 'The bank asked the cardholder to authenticate the payment.' };
  }
  if (intent.status === 'requires_payment_method' || intent.status === 'canceled') {
    return { ...base, outcome: 'declined', detail: detail ?? 'The card was declined.' };
  }
  // processing, requires_confirmation, requires_capture: not final.
  return { ...base, outcome: null, detail: null };
}

/** The top-up request an intent was created for (our metadata), or null for any other intent. */
export function topupRequestOf(intent: StripePaymentIntent): string | null {
  const metadata = intent.metadata ?? {};
  const id = metadata.request_id;
  return metadata.purpose === 'auto_topup' && id && UUID.test(id) ? id : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The wallet whose card a checkout's intent saved for later off-session charges (our checkout's
 * metadata: team_id, else user_id), or null when the intent saved nothing we asked for.
 */
export function savedCardOf(intent: StripePaymentIntent): { walletId: string; customerId: string; paymentMethod: string } | null {
  if (intent.status !== 'succeeded' || intent.setup_future_usage !== 'off_session') return null;
  if (!intent.customer || !intent.payment_method) return null;
  const metadata = intent.metadata ?? {};
  const walletId = metadata.team_id && UUID.test(metadata.team_id) ? metadata.team_id
    : metadata.user_id && UUID.test(metadata.user_id) ? metadata.user_id : null;
  if (!walletId || metadata.purpose === 'auto_topup') return null;
  return { walletId, customerId: intent.customer, paymentMethod: intent.payment_method };
}
