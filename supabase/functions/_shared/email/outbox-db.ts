// The outbox's service-role RPCs (20261125000920_email_outbox.sql): claim due mails with a lease,
// record each send's result (the database applies the backoff and the give-up rule).
import type { SupabaseClient } from '@supabase/supabase-js';
import { HttpError } from '../errors.ts';
import type { SendOutcome } from './provider.ts';

export interface ClaimedEmail {
  id: string;
  to_address: string;
  template: string;
  params: Record<string, unknown>;
  attempts: number;
}

export interface DeliveryResult {
  id: string;
  status: 'sent' | 'failed' | 'dead';
}

/** The database unreachable or refusing is our outage: 503, the caller (cron) tries again. */
function databaseError(what: string, error: { message: string; code?: string }): HttpError {
  console.error(`send-email: ${what} failed`, error);
  return new HttpError(503, 'internal_error', `Could not ${what} right now; the mails stay queued.`);
}

export async function claimEmails(db: SupabaseClient, maxEmails: number): Promise<ClaimedEmail[]> {
  const { data, error } = await db.rpc('claim_outbox_emails', { max_emails: maxEmails });
  if (error) throw databaseError('claim the due e-mails', error);
  return (data ?? []) as ClaimedEmail[];
}

// billing.email_outbox.last_error holds at most 1000 characters.
const MAX_ERROR_LENGTH = 1000;

export async function recordResult(db: SupabaseClient, emailId: string, outcome: SendOutcome): Promise<DeliveryResult> {
  const { data, error } = await db.rpc('record_email_result', outcome.ok
    ? { email_id: emailId, sent: true, provider_message_id: outcome.providerMessageId }
    : { email_id: emailId, sent: false, error: outcome.error.slice(0, MAX_ERROR_LENGTH), retry: outcome.retry });
  if (error) throw databaseError(`record the result of e-mail ${emailId}`, error);
  const result = data as { id: string; status: DeliveryResult['status'] };
  return { id: result.id, status: result.status };
}
