// The e-mail API the outbox sends through (a Resend-compatible HTTP API), from the function's
// secrets. Locally the stand-in sets them to its own inbox (scripts/local-supabase), hosted they
// are project secrets (supabase/README.md, "E-mail outbox").
import { requireEnv } from '../env.ts';

export interface EmailSettings {
  /** Base URL of the API; mails are POSTed to `${apiUrl}/emails`. */
  apiUrl: string;
  apiKey: string;
  /** Sender, e.g. `AI Interview Scheduler <no-reply@example.com>` (a domain verified at the provider). */
  from: string;
  /** Where links in mails lead (the SPA). */
  siteUrl: string;
}

/** Throws 500 missing_env naming every unset variable, so nothing is claimed without a way to send it. */
export function emailSettings(): EmailSettings {
  const env = requireEnv(['EMAIL_API_URL', 'EMAIL_API_KEY', 'EMAIL_FROM', 'SITE_URL']);
  return { apiUrl: env.EMAIL_API_URL, apiKey: env.EMAIL_API_KEY, from: env.EMAIL_FROM, siteUrl: env.SITE_URL };
}
