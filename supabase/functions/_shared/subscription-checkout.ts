// The checkout of a subscription plan: refuse early when the workspace already has a
// subscription (before a session exists at the provider), create the provider's subscription
// checkout, and record the pending row (status 'incomplete', record_subscription_checkout, which
// checks again under its lock). The first invoice.paid grants the credits, not the session.
import type { SupabaseClient } from '@supabase/supabase-js';
import { HttpError } from './errors.ts';
import type { PaymentProvider } from './payment-provider.ts';
import type { PlanRow } from './schemas.ts';
import { billingCustomerId, liveSubscription, recordSubscriptionCheckout } from './subscriptions-db.ts';
import type { SignedInUser } from './supabase.ts';

export async function startSubscriptionCheckout(
  db: SupabaseClient,
  provider: PaymentProvider,
  args: { user: SignedInUser; teamId: string | null; plan: PlanRow; siteUrl: string },
) {
  const { user, teamId, plan, siteUrl } = args;
  const wallet = { userId: user.id, teamId };
  const live = await liveSubscription(db, wallet);
  // An open checkout ('incomplete', no provider subscription yet) does not block a new one.
  if (live && live.provider_subscription_id !== null) {
    throw new HttpError(409, 'subscription_exists',
      'This workspace already has a subscription: change its plan in the billing portal instead of subscribing again.');
  }
  const customerId = provider.name === 'stripe' ? await billingCustomerId(db, teamId ?? user.id, 'stripe') : null;
  const session = await provider.createSubscriptionCheckout({
    userId: user.id,
    teamId,
    email: user.email,
    plan,
    customerId,
    // mode=subscription: the SPA's return banner waits for the subscription, not for a payment row.
    successUrl: `${siteUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}&mode=subscription`,
    cancelUrl: `${siteUrl}/billing?checkout=cancelled`,
  });
  const recorded = await recordSubscriptionCheckout(db, { userId: user.id, teamId, planId: plan.id, provider: provider.name, sessionId: session.sessionId });
  return { url: session.url, session_id: session.sessionId, subscription_id: recorded.subscription_id, provider: provider.name, mode: 'subscription' as const };
}
