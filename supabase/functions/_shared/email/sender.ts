// One run of the sender: claim what is due, render and send each mail, record each result.
// Every mail is recorded on its own: one that cannot be recorded (the database went away) stays
// `sending` until its lease runs out and is then sent again with the same Idempotency-Key, which
// the provider answers without a second mail.
import type { SupabaseClient } from '@supabase/supabase-js';
import { claimEmails, recordResult, type ClaimedEmail, type DeliveryResult } from './outbox-db.ts';
import { sendEmail, type OutgoingEmail, type SendOutcome } from './provider.ts';
import type { EmailSettings } from './settings.ts';
import { renderEmail, TemplateError } from './templates.ts';

export type { ClaimedEmail, DeliveryResult };

export interface DeliverDeps {
  siteUrl: string;
  send(mail: OutgoingEmail): Promise<SendOutcome>;
  record(emailId: string, outcome: SendOutcome): Promise<DeliveryResult>;
}

/** Renders and sends one claimed mail and records what happened. */
export async function deliver(mail: ClaimedEmail, deps: DeliverDeps): Promise<DeliveryResult> {
  let outcome: SendOutcome;
  try {
    const rendered = renderEmail(mail.template, mail.params, deps.siteUrl);
    outcome = await deps.send({ id: mail.id, to: mail.to_address, ...rendered });
  } catch (error) {
    // A mail that cannot be rendered never will be: give it up now, support sees why.
    if (!(error instanceof TemplateError)) throw error;
    outcome = { ok: false, retry: false, error: `cannot render: ${error.message}` };
  }
  return await deps.record(mail.id, outcome);
}

export interface SendSummary {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
  /** Mails whose result could not be recorded (sent again after their lease, see above). */
  unrecorded: number;
}

const BATCH_SIZE = 20;
const MAX_BATCHES = 5;

/** Sends due mails in batches of 20 (in parallel within a batch) until none are left, at most 100. */
export async function sendDueEmails(db: SupabaseClient, settings: EmailSettings): Promise<SendSummary> {
  const summary: SendSummary = { claimed: 0, sent: 0, failed: 0, dead: 0, unrecorded: 0 };
  const deps: DeliverDeps = {
    siteUrl: settings.siteUrl,
    send: (mail) => sendEmail(settings, mail),
    record: (id, outcome) => recordResult(db, id, outcome),
  };
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const claimed = await claimEmails(db, BATCH_SIZE);
    summary.claimed += claimed.length;
    const results = await Promise.allSettled(claimed.map((mail) => deliver(mail, deps)));
    for (const result of results) {
      if (result.status === 'fulfilled') summary[result.value.status] += 1;
      else summary.unrecorded += 1;
    }
    if (claimed.length < BATCH_SIZE) break;
  }
  return summary;
}
