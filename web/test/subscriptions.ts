// Subscription set-up for web unit and browser tests, through the real functions a recruiter's
// clicks call: the checkout of a subscription plan, then the local provider's complete_checkout
// (which sends the signed events Stripe would to the webhook).
import type { AppSupabaseClient } from '../src/lib/supabaseClient.ts';

/** Subscribes the signed-in user of `client` (or their team) to `planId` locally; returns our subscription id. */
export async function subscribeLocally(client: AppSupabaseClient, planId: string, teamId: string | null = null): Promise<string> {
  const checkout = await client.functions.invoke('checkout', { body: { plan_id: planId, ...(teamId ? { team_id: teamId } : {}) } });
  if (checkout.error) throw new Error(`checkout failed: ${checkout.error.message}`);
  const { session_id: sessionId, subscription_id: subscriptionId } = checkout.data as { session_id: string; subscription_id: string };
  const completed = await client.functions.invoke('local-subscription', { body: { action: 'complete_checkout', session_id: sessionId } });
  if (completed.error) throw new Error(`complete_checkout failed: ${completed.error.message}`);
  return subscriptionId;
}
