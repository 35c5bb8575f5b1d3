// POST /inbox/api/emails: the local inbox speaking the HTTP e-mail API the send-email function
// uses in production (Resend's: Bearer key, JSON {from, to, subject, html, text}, `{ id }` back,
// errors as {statusCode, name, message}), so the function's own provider client runs locally.
// The key is the local EMAIL_API_KEY (.local/stack.env). An Idempotency-Key seen before answers
// the first mail's id and stores nothing, as the provider does. A recipient at
// `provider-error.test` gets a 500: a provider outage to rehearse (the outbox retries it).
import type { IncomingMessage } from 'node:http';
import { BodyTooLarge, readBody } from '../http.ts';
import type { Mailbox } from './mailbox.ts';

export interface EmailApiAnswer {
  status: number;
  body: unknown;
}

const OUTAGE_DOMAIN = '@provider-error.test';
const MAX_RECIPIENTS = 50;

function failure(status: number, name: string, message: string): EmailApiAnswer {
  return { status, body: { statusCode: status, name, message } };
}

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** The links a mail client would make clickable in the plain text. */
function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
}

/** Plain text for a mail sent with HTML only: the tags dropped, the entities we write decoded. */
function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&').replace(/[ \t]+/g, ' ').trim();
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

export async function emailApiSend(req: IncomingMessage, mailbox: Mailbox, apiKey: string): Promise<EmailApiAnswer> {
  const key = bearer(req);
  if (!key) return failure(401, 'missing_api_key', 'Missing API key in the authorization header (Bearer <EMAIL_API_KEY>).');
  if (key !== apiKey) return failure(403, 'invalid_api_key', 'API key is invalid: use EMAIL_API_KEY from .local/stack.env.');
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) return failure(413, 'validation_error', error.message);
    throw error;
  }
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {};
  } catch {
    return failure(422, 'validation_error', 'The body must be JSON.');
  }
  const to = (Array.isArray(body.to) ? body.to : [body.to]).filter(nonEmpty).map((address) => address.trim().toLowerCase());
  const problem = !nonEmpty(body.from) ? 'The `from` field is required.'
    : to.length === 0 || to.length > MAX_RECIPIENTS ? `The \`to\` field needs 1 to ${MAX_RECIPIENTS} addresses.`
      : !nonEmpty(body.subject) ? 'The `subject` field is required.'
        : !nonEmpty(body.text) && !nonEmpty(body.html) ? 'Either `text` or `html` is required.' : null;
  if (problem) return failure(422, 'validation_error', problem);
  if (to.some((address) => address.endsWith(OUTAGE_DOMAIN))) {
    return failure(500, 'application_error', `Rehearsed provider outage: mail to ${OUTAGE_DOMAIN.slice(1)} is never accepted.`);
  }
  const text = nonEmpty(body.text) ? body.text : textOf(String(body.html));
  const fields = { from: String(body.from), subject: String(body.subject), text, links: linksIn(text) };
  const idempotencyKey = req.headers['idempotency-key'];
  // One stored mail per recipient (the inbox lists by address); the answer names the first.
  const stored = to.map((address, index) => typeof idempotencyKey === 'string' && idempotencyKey !== ''
    ? mailbox.sendOnce(`${idempotencyKey}\n${index}`, { ...fields, to: address }).mail
    : mailbox.send({ ...fields, to: address }));
  return { status: 200, body: { id: stored[0].id } };
}
