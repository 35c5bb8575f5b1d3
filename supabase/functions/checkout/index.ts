// POST /functions/v1/checkout  { "plan_id": "pack_5", "team_id"?: "<uuid>" }  (signed-in user; verify_jwt = true)
// Creates a provider checkout session for an active plan, records the pending payment, and
// answers { url, session_id, payment_id, provider }. Credits arrive later, via the webhook.
// A subscription plan starts a subscription checkout instead (subscription-checkout.ts): it
// answers { url, session_id, subscription_id, provider, mode: 'subscription' }.
import { preflight } from '../_shared/cors.ts';
import { requireEnv } from '../_shared/env.ts';
import { errorResponse } from '../_shared/errors.ts';
import { readJson, requireMethod } from '../_shared/http.ts';
import { activePlan, recordCheckout, requireTeamBuyer } from '../_shared/payments-db.ts';
import { paymentProvider } from '../_shared/provider.ts';
import { jsonResponse } from '../_shared/responses.ts';
import { CheckoutBody } from '../_shared/schemas.ts';
import { requireUser, serviceClient } from '../_shared/supabase.ts';
import { startSubscriptionCheckout } from '../_shared/subscription-checkout.ts';

export async function handle(req: Request): Promise<Response> {
  try {
    const early = preflight(req);
    if (early) return early;
    requireMethod(req, 'POST');
    const env = requireEnv(['SUPABASE_URL', 'SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SITE_URL']);
    const provider = paymentProvider(env);
    const user = await requireUser(req, env);
    const { plan_id, team_id } = await readJson(req, CheckoutBody);
    const teamId = team_id ?? null;
    const db = serviceClient(env);
    const plan = await activePlan(db, plan_id);
    // A team purchase: only its owners and admins may buy (checked before a session exists at the
    // provider, and again by record_checkout in the same terms).
    if (teamId) await requireTeamBuyer(db, teamId, user.id);
    if (plan.kind === 'subscription') {
      return jsonResponse(await startSubscriptionCheckout(db, provider, { user, teamId, plan, siteUrl: env.SITE_URL }));
    }
    const session = await provider.createCheckout({
      userId: user.id,
      teamId,
      email: user.email,
      plan,
      successUrl: `${env.SITE_URL}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${env.SITE_URL}/billing?checkout=cancelled`,
    });
    const payment = await recordCheckout(db, { userId: user.id, teamId, planId: plan.id, provider: provider.name, sessionId: session.sessionId });
    return jsonResponse({ url: session.url, session_id: session.sessionId, payment_id: payment.payment_id, provider: provider.name });
  } catch (error) {
    return errorResponse(error);
  }
}

if (import.meta.main) Deno.serve(handle);
