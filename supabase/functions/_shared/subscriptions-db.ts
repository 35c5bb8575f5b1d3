// Typed calls of the subscription SQL functions (service_role only; supabase/README.md,
// "Subscriptions") and the reads of public.subscriptions the edge needs: the checkout's pending
// row, a workspace's live subscription (billing-portal), a row by id (local-subscription).
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { InvoiceSnapshot, ProviderName, SubscriptionSnapshot } from './payment-provider.ts';
import { rpc, sqlError } from './payments-db.ts';
import { HttpError } from './errors.ts';

/** What every subscription settlement answers (the SQL adds more: status, credited, payment_id…). */
export const SubscriptionSettlement = z.object({ replayed: z.boolean() }).passthrough();
export type SubscriptionSettlement = z.infer<typeof SubscriptionSettlement>;

const CheckoutRecorded = z.object({ subscription_id: z.string() }).passthrough();

export function recordSubscriptionCheckout(
  db: SupabaseClient,
  args: { userId: string; teamId: string | null; planId: string; provider: ProviderName; sessionId: string },
) {
  return rpc(db, 'record_subscription_checkout', {
    user_id: args.userId,
    team_id: args.teamId,
    plan_id: args.planId,
    provider: args.provider,
    session_id: args.sessionId,
  }, CheckoutRecorded);
}

export function applySubscriptionEvent(db: SupabaseClient, args: { eventId: string; eventType: string; subscription: SubscriptionSnapshot }) {
  return rpc(db, 'apply_subscription_event', {
    event_id: args.eventId,
    event_type: args.eventType,
    subscription: args.subscription,
  }, SubscriptionSettlement);
}

export function applyInvoicePaid(db: SupabaseClient, args: { eventId: string; invoice: InvoiceSnapshot }) {
  return rpc(db, 'apply_invoice_paid', { event_id: args.eventId, invoice: args.invoice }, SubscriptionSettlement);
}

export function applyInvoiceFailed(db: SupabaseClient, args: { eventId: string; invoice: InvoiceSnapshot }) {
  return rpc(db, 'apply_invoice_failed', { event_id: args.eventId, invoice: args.invoice }, SubscriptionSettlement);
}

export const SubscriptionRow = z.object({
  id: z.string(),
  user_id: z.string(),
  team_id: z.string().nullable(),
  provider: z.string(),
  provider_subscription_id: z.string().nullable(),
  provider_customer_id: z.string().nullable(),
  checkout_session_id: z.string().nullable(),
  plan_id: z.string(),
  status: z.string(),
  current_period_start: z.string().nullable(),
  current_period_end: z.string().nullable(),
  cancel_at_period_end: z.boolean(),
  canceled_at: z.string().nullable(),
  last_event_at: z.string().nullable(),
  created_at: z.string(),
});
export type SubscriptionRow = z.infer<typeof SubscriptionRow>;

const COLUMNS = 'id, user_id, team_id, provider, provider_subscription_id, provider_customer_id, checkout_session_id, plan_id, status, '
  + 'current_period_start, current_period_end, cancel_at_period_end, canceled_at, last_event_at, created_at';

/** States that end a subscription: the workspace may subscribe again. */
export const ENDED_STATUSES = ['canceled', 'incomplete_expired'] as const;

function parseRow(data: unknown): SubscriptionRow {
  const row = SubscriptionRow.safeParse(data);
  if (!row.success) throw new HttpError(500, 'internal_error', 'Unexpected subscription row.');
  return row.data;
}

export async function subscriptionBy(db: SupabaseClient, column: 'id' | 'checkout_session_id', value: string): Promise<SubscriptionRow | null> {
  const { data, error } = await db.from('subscriptions').select(COLUMNS).eq(column, value).maybeSingle();
  if (error) throw sqlError(error);
  return data ? parseRow(data) : null;
}

/**
 * The workspace's subscription that is not over (the newest, should a checkout still be open
 * beside it), or null: a personal one is the user's with no team, a team's is the team's.
 */
export async function liveSubscription(db: SupabaseClient, wallet: { userId: string; teamId: string | null }): Promise<SubscriptionRow | null> {
  let query = db.from('subscriptions').select(COLUMNS).not('status', 'in', `(${ENDED_STATUSES.join(',')})`);
  query = wallet.teamId ? query.eq('team_id', wallet.teamId) : query.eq('user_id', wallet.userId).is('team_id', null);
  const { data, error } = await query.order('created_at', { ascending: false }).limit(5);
  if (error) throw sqlError(error);
  const rows = (data ?? []).map(parseRow);
  // A started subscription wins over a checkout still open ('incomplete' without a provider id).
  return rows.find((r) => r.provider_subscription_id !== null) ?? rows[0] ?? null;
}

/** The wallet's provider customer, when one was recorded (reused by the next checkout). */
export async function billingCustomerId(db: SupabaseClient, walletId: string, provider: ProviderName): Promise<string | null> {
  const { data, error } = await db.from('billing_customers').select('provider_customer_id').eq('wallet_id', walletId).eq('provider', provider)
    .maybeSingle();
  if (error) throw sqlError(error);
  return (data as { provider_customer_id: string | null } | null)?.provider_customer_id ?? null;
}
