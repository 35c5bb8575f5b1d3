// The HTTP e-mail API client (Resend's API; any provider speaking it, and locally the stand-in's
// inbox): POST {EMAIL_API_URL}/emails, Bearer EMAIL_API_KEY, JSON {from, to, subject, html, text}.
// Idempotency-Key = the outbox id: when a sender dies between the provider's answer and recording
// it, the next sender's request with the same key is answered without sending a second mail.
import type { EmailSettings } from './settings.ts';

export interface OutgoingEmail {
  /** The outbox id (the Idempotency-Key). */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type SendOutcome =
  | { ok: true; providerMessageId: string }
  | { ok: false; error: string; retry: boolean };

const TIMEOUT_MS = 10_000;

/**
 * Statuses worth retrying: the provider's own trouble (5xx), rate limits (429), a timeout (408),
 * a concurrent request with the same key (409) and a key problem support can fix (401, 403). Any
 * other 4xx refuses the mail itself (an invalid address): sending it again cannot help.
 */
function retryable(status: number): boolean {
  return status >= 500 || [401, 403, 408, 409, 429].includes(status);
}

/** What the API said, short: its JSON `message`, else the start of its body. */
function describe(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; name?: unknown };
    if (typeof parsed.message === 'string') return typeof parsed.name === 'string' ? `${parsed.name}: ${parsed.message}` : parsed.message;
  } catch {
    // not JSON: the raw text below
  }
  return body.slice(0, 300) || '(empty body)';
}

export async function sendEmail(settings: EmailSettings, mail: OutgoingEmail): Promise<SendOutcome> {
  const url = `${settings.apiUrl.replace(/\/+$/, '')}/emails`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${settings.apiKey}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': mail.id,
      },
      body: JSON.stringify({ from: settings.from, to: [mail.to], subject: mail.subject, html: mail.html, text: mail.text }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, retry: true, error: `could not reach the e-mail API at ${url}: ${error instanceof Error ? error.message : String(error)}` };
  }
  // Reading the answer is part of the request (the same timeout): a connection lost meanwhile is
  // a failure to retry, recorded with its reason, not an exception that leaves the mail `sending`.
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    return { ok: false, retry: true, error: `the e-mail API's answer (${response.status}) broke off: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!response.ok) {
    return { ok: false, retry: retryable(response.status), error: `the e-mail API answered ${response.status}: ${describe(body)}` };
  }
  let id: unknown;
  try {
    id = (JSON.parse(body) as { id?: unknown }).id;
  } catch {
    id = undefined;
  }
  // Accepted without an id: sending again with the same Idempotency-Key is safe and may say more.
  if (typeof id !== 'string' || id === '') return { ok: false, retry: true, error: `the e-mail API answered ${response.status} without a message id` };
  return { ok: true, providerMessageId: id };
}
