// POST /functions/v1/billing-portal  { "team_id"?: "<uuid>" }  (signed-in user; verify_jwt = true)
// Opens the place where the workspace's subscription is managed (cancel, resume, change plan,
// update the card): a Stripe customer portal session, or the local portal page of the SPA.
// Only the personal buyer, or an owner or admin of the team (403 not_team_admin); 404
// no_subscription when the workspace has none. Answers { url, subscription_id, provider }.
import { preflight } from '../_shared/cors.ts';
import { requireEnv } from '../_shared/env.ts';
import { errorResponse, HttpError } from '../_shared/errors.ts';
import { readJson, requireMethod } from '../_shared/http.ts';
import { requireTeamBuyer } from '../_shared/payments-db.ts';
import { paymentProvider } from '../_shared/provider.ts';
import { jsonResponse } from '../_shared/responses.ts';
import { BillingPortalBody } from '../_shared/schemas.ts';
import { billingCustomerId, liveSubscription } from '../_shared/subscriptions-db.ts';
import { requireUser, serviceClient } from '../_shared/supabase.ts';

export async function handle(req: Request): Promise<Response> {
  try {
    const early = preflight(req);
    if (early) return early;
    requireMethod(req, 'POST');
    const env = requireEnv(['SUPABASE_URL', 'SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SITE_URL']);
    const provider = paymentProvider(env);
    const user = await requireUser(req, env);
    const { team_id } = await readJson(req, BillingPortalBody);
    const teamId = team_id ?? null;
    const db = serviceClient(env);
    if (teamId) await requireTeamBuyer(db, teamId, user.id, 'Only an owner or admin of the team can manage its subscription.');
    const subscription = await liveSubscription(db, { userId: user.id, teamId });
    if (!subscription || subscription.provider_subscription_id === null) {
      throw new HttpError(404, 'no_subscription', 'This workspace has no subscription to manage.');
    }
    if (subscription.provider !== provider.name) {
      // A local subscription on a stack now configured for Stripe (or the reverse) has nothing to open.
      throw new HttpError(409, 'conflict', `This subscription was made with the ${subscription.provider} provider, not ${provider.name}.`);
    }
    // The row learns its customer from the subscription's events; the wallet's customer otherwise.
    const customerId = subscription.provider_customer_id ?? await billingCustomerId(db, subscription.team_id ?? subscription.user_id, provider.name);
    const { url } = await provider.createPortalSession({
      subscriptionId: subscription.id,
      customerId,
      returnUrl: `${env.SITE_URL}/billing?workspace=${teamId ?? 'personal'}`,
    });
    return jsonResponse({ url, subscription_id: subscription.id, provider: provider.name });
  } catch (error) {
    return errorResponse(error);
  }
}

if (import.meta.main) Deno.serve(handle);
