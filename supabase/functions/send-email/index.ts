// POST /functions/v1/send-email  (verify_jwt = false: the function checks the caller itself)
// The outbox's sender: claims the due mails (billing.email_outbox), renders each, sends it through
// the HTTP e-mail API (EMAIL_API_URL, Resend-compatible) and records the result; answers
// { claimed, sent, failed, dead, unrecorded }. Callers: the cron job with the project's secret key
// (hosted: pg_cron + pg_net every minute; locally the stand-in every 2 s), or a signed-in user as
// a harmless "flush now" (it only sends what is due anyway). The body is ignored.
import { preflight } from '../_shared/cors.ts';
import { emailSettings } from '../_shared/email/settings.ts';
import { sendDueEmails } from '../_shared/email/sender.ts';
import { requireEnv } from '../_shared/env.ts';
import { errorResponse } from '../_shared/errors.ts';
import { requireMethod } from '../_shared/http.ts';
import { jsonResponse } from '../_shared/responses.ts';
import { requireServiceOrUser, serviceClient } from '../_shared/supabase.ts';

export async function handle(req: Request): Promise<Response> {
  try {
    const early = preflight(req);
    if (early) return early;
    requireMethod(req, 'POST');
    const env = requireEnv(['SUPABASE_URL', 'SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_SECRET_KEY']);
    await requireServiceOrUser(req, env);
    // Before claiming anything: without a way to send, every mail stays pending (and due).
    const settings = emailSettings();
    await req.body?.cancel();
    return jsonResponse(await sendDueEmails(serviceClient(env), settings));
  } catch (error) {
    return errorResponse(error);
  }
}

if (import.meta.main) Deno.serve(handle);
