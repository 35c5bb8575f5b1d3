// POST /functions/v1/local-checkout-complete  { "session_id": "cs_local_…", "card"?: "pm_card_visa" }  (signed-in owner)
// The "Pay" button of the SPA's local checkout page (development without a Stripe account).
// Sends a Stripe-signed `checkout.session.completed` to the real webhook and returns its answer,
// then the `payment_intent.succeeded` that saves the chosen test card (auto top-up charges it).
// Refused when STRIPE_SECRET_KEY is set or SITE_URL or SUPABASE_URL is not local: real payments
// must never be completed this way.
import { preflight } from '../_shared/cors.ts';
import { requireLocalStack } from '../_shared/env.ts';
import { errorResponse, HttpError } from '../_shared/errors.ts';
import { readJson, requireMethod } from '../_shared/http.ts';
import { localCheckoutCompletedEvent, localCheckoutIntent, localPaymentIntentEvent, signStripePayload } from '../_shared/local-events.ts';
import { paymentBySession } from '../_shared/payments-db.ts';
import { jsonResponse } from '../_shared/responses.ts';
import { LocalCompleteBody } from '../_shared/schemas.ts';
import { requireUser, serviceClient } from '../_shared/supabase.ts';
import { postToWebhook } from '../_shared/webhook-client.ts';

export async function handle(req: Request): Promise<Response> {
  try {
    const early = preflight(req);
    if (early) return early;
    requireMethod(req, 'POST');
    const env = requireLocalStack('Local checkout');
    const user = await requireUser(req, env);
    const { session_id, card } = await readJson(req, LocalCompleteBody);
    const payment = await paymentBySession(serviceClient(env), session_id);
    if (!payment || payment.provider !== 'local') throw new HttpError(404, 'not_found', 'No local checkout with that session id.');
    if (payment.user_id !== user.id) throw new HttpError(403, 'forbidden', 'This checkout belongs to another account.');

    const payload = JSON.stringify(localCheckoutCompletedEvent(payment, env.SITE_URL));
    const signature = await signStripePayload(payload, env.STRIPE_WEBHOOK_SECRET);
    const outcome = await postToWebhook(env.SUPABASE_URL, payload, signature);
    // Then what Stripe sends for a Checkout that saved the card (setup_future_usage off_session):
    // the chosen test card becomes the wallet's card for auto top-up.
    const intentPayload = JSON.stringify(localPaymentIntentEvent(localCheckoutIntent(payment, card ?? 'pm_card_visa')));
    await postToWebhook(env.SUPABASE_URL, intentPayload, await signStripePayload(intentPayload, env.STRIPE_WEBHOOK_SECRET));
    return jsonResponse({ session_id, payment_id: payment.id, ...outcome });
  } catch (error) {
    return errorResponse(error);
  }
}

if (import.meta.main) Deno.serve(handle);
