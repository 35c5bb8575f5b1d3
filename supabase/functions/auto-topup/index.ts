// POST /functions/v1/auto-topup  { "max_requests"?: 10 }  (verify_jwt = false: the secret key only)
// The auto top-up's worker: claims the top-ups the database queued when a wallet crossed its
// threshold, charges each saved card off-session (Stripe PaymentIntent, off_session + confirm,
// idempotency key topup:<request id>; the local provider plays it by the saved test card) and
// records the outcome; answers { claimed, succeeded, declined, authentication_required, pending,
// errors }. Called by a cron job with the project's secret key (hosted: pg_cron + pg_net every
// minute, supabase/README.md "Auto top-up"; locally the stand-in every 2 s).
import { requireEnv } from '../_shared/env.ts';
import { errorResponse } from '../_shared/errors.ts';
import { readJson, requireMethod } from '../_shared/http.ts';
import { paymentProvider } from '../_shared/provider.ts';
import { jsonResponse } from '../_shared/responses.ts';
import { runAutoTopups } from '../_shared/auto-topup.ts';
import { AutoTopupBody } from '../_shared/schemas.ts';
import { requireServiceKey, serviceClient } from '../_shared/supabase.ts';

export async function handle(req: Request): Promise<Response> {
  try {
    requireMethod(req, 'POST');
    const env = requireEnv(['SUPABASE_URL', 'SUPABASE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SITE_URL']);
    requireServiceKey(req, env);
    const provider = paymentProvider(env);
    const { max_requests } = await readJson(req, AutoTopupBody);
    return jsonResponse(await runAutoTopups(serviceClient(env), provider, max_requests ?? 10));
  } catch (error) {
    return errorResponse(error);
  }
}

if (import.meta.main) Deno.serve(handle);
