// POST /functions/v1/stripe-webhook  (Stripe, or the local checkout; verify_jwt = false)
// Verifies the Stripe signature over the RAW body, then settles the event once: replays and
// out-of-order deliveries are handled by the SQL functions. Bad signature: 400, nothing changes.
import { requireEnv } from '../_shared/env.ts';
import { errorResponse } from '../_shared/errors.ts';
import { requireMethod } from '../_shared/http.ts';
import { paymentProvider } from '../_shared/provider.ts';
import { jsonResponse } from '../_shared/responses.ts';
import { settleEvent } from '../_shared/settle-event.ts';
import { serviceClient } from '../_shared/supabase.ts';

export async function handle(req: Request): Promise<Response> {
  try {
    requireMethod(req, 'POST');
    const env = requireEnv(['SUPABASE_URL', 'SUPABASE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SITE_URL']);
    // The signature covers the exact bytes Stripe sent: read them before any JSON parsing.
    const rawBody = await req.text();
    const event = await paymentProvider(env).verifyWebhook(rawBody, req.headers.get('Stripe-Signature'));
    const settlement = await settleEvent(serviceClient(env), event);
    return jsonResponse({ received: true, event_id: event.eventId, ...settlement });
  } catch (error) {
    return errorResponse(error);
  }
}

if (import.meta.main) Deno.serve(handle);
