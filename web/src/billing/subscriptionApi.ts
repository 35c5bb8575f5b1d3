// The server calls of subscriptions, each returning a Result with a mapped AppError: the
// workspace's subscription (rpc subscription_status), Stripe's customer portal (billing-portal),
// and the local provider's stand-in for Stripe (local-subscription: checkout, portal, renewals).
// The subscription's checkout itself is the checkout function's (billingApi.startCheckout).
import { z } from 'zod';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { appError, toAppError, toAppErrorFromFunction } from '../lib/appError.ts';
import { fail, ok, type Result } from '../lib/result.ts';
import { subscriptionStatusResultSchema, type SubscriptionStatus } from './subscriptionSchemas.ts';
import { PAYMENT_COLUMNS, type Payment } from './billingTypes.ts';

const teamArg = (teamId: string | null) => (teamId === null ? {} : { team_id: teamId });

export async function fetchSubscriptionStatus(client: AppSupabaseClient, teamId: string | null): Promise<Result<SubscriptionStatus | null>> {
  const { data, error, status } = await client.rpc('subscription_status', teamArg(teamId));
  if (error) return fail(toAppError(error, status));
  const parsed = subscriptionStatusResultSchema.safeParse(data ?? null);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}

const urlSchema = z.object({ url: z.string().min(1) });

/** Where to manage the workspace's subscription: Stripe's customer portal, or the local portal page. */
export async function openBillingPortal(client: AppSupabaseClient, teamId: string | null): Promise<Result<string>> {
  const { data, error } = await client.functions.invoke('billing-portal', { body: teamArg(teamId) });
  if (error) return fail(await toAppErrorFromFunction(error));
  const parsed = urlSchema.safeParse(data);
  return parsed.success ? ok(parsed.data.url) : fail(appError('server'));
}

/** What the local portal's buttons ask the local provider to play (the events Stripe would send). */
export type LocalSubscriptionAction =
  | { action: 'complete_checkout'; session_id: string }
  | { action: 'renew' | 'fail_renewal' | 'cancel_at_period_end' | 'resume' | 'cancel_now'; subscription_id: string }
  | { action: 'change_plan'; subscription_id: string; plan_id: string };

export async function localSubscription(client: AppSupabaseClient, body: LocalSubscriptionAction): Promise<Result<null>> {
  const { error } = await client.functions.invoke('local-subscription', { body });
  if (error) return fail(await toAppErrorFromFunction(error));
  return ok(null);
}

/** A subscriptions row as the buyer (or a member of its team) may read it. */
export const SUBSCRIPTION_COLUMNS = 'id, team_id, plan_id, status, current_period_start, current_period_end, cancel_at_period_end, canceled_at, checkout_session_id';
const subscriptionRowSchema = z.object({
  id: z.string(),
  team_id: z.string().nullable(),
  plan_id: z.string(),
  status: z.string(),
  current_period_start: z.string().nullable(),
  current_period_end: z.string().nullable(),
  cancel_at_period_end: z.boolean(),
  canceled_at: z.string().nullable(),
  checkout_session_id: z.string().nullable(),
});
export type SubscriptionRow = z.infer<typeof subscriptionRowSchema>;

async function fetchRow(client: AppSupabaseClient, column: 'id' | 'checkout_session_id', value: string): Promise<Result<SubscriptionRow | null>> {
  const { data, error, status } = await client.from('subscriptions').select(SUBSCRIPTION_COLUMNS).eq(column, value).maybeSingle();
  if (error) return fail(toAppError(error, status));
  if (data === null) return ok(null);
  const parsed = subscriptionRowSchema.safeParse(data);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}

export const fetchSubscription = (client: AppSupabaseClient, id: string) => fetchRow(client, 'id', id);
export const fetchSubscriptionByCheckout = (client: AppSupabaseClient, sessionId: string) => fetchRow(client, 'checkout_session_id', sessionId);

/**
 * The first paid invoice of the subscription a checkout session started (payments.subscription_id),
 * or null while the webhook has not granted it yet: the return banner waits for it, since the
 * session itself has no payments row.
 */
export async function fetchSubscriptionCheckoutPayment(client: AppSupabaseClient, sessionId: string): Promise<Result<Payment | null>> {
  const subscription = await fetchSubscriptionByCheckout(client, sessionId);
  if (!subscription.ok) return subscription;
  if (!subscription.data) return ok(null);
  const { data, error, status } = await client.from('payments').select(PAYMENT_COLUMNS)
    .eq('subscription_id', subscription.data.id).eq('status', 'paid').order('paid_at', { ascending: true }).limit(1).maybeSingle();
  if (error) return fail(toAppError(error, status));
  return ok(data);
}
