// Verifies a Stripe webhook delivery against the RAW body (Web Crypto, as Deno has no Node
// crypto HMAC in the edge runtime) and normalises the events we act on. Both providers use it:
// the local provider signs its events exactly as Stripe does, so one code path handles both.
import Stripe from 'stripe';
import { HttpError } from './errors.ts';
import type { PaymentEvent } from './payment-provider.ts';
import { StripeCharge, StripeCheckoutSession, StripeEventEnvelope, StripeInvoice, StripeSubscription } from './schemas.ts';
import { normaliseInvoice, normaliseSubscription } from './subscription-events.ts';
import { isStorable, storableText } from './storable-text.ts';
import { MalformedEvent, ourPlanId, ourUserId } from './event-values.ts';

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** Stripe's default tolerance (5 minutes) against replayed old deliveries. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export async function verifyStripeEvent(rawBody: string, signatureHeader: string | null, secret: string): Promise<PaymentEvent> {
  if (!signatureHeader) throw new HttpError(400, 'bad_signature', 'Missing Stripe-Signature header.');
  // Verify first and parse ourselves (constructEventAsync would report a signed body that is not
  // JSON as a bad signature, and that delivery is Stripe's, not an attacker's).
  const signature = Stripe.webhooks.signature;
  if (!signature) throw new HttpError(500, 'internal_error', 'The Stripe SDK has no signature helper.');
  try {
    await signature.verifyHeaderAsync(rawBody, signatureHeader, secret, SIGNATURE_TOLERANCE_SECONDS, cryptoProvider);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'bad_signature', `Webhook signature verification failed: ${reason}`);
  }
  // Stripe's SDK refuses only timestamps too far in the past: one dated in the future (or not a
  // number, which it parses as NaN) would keep a captured delivery replayable for as long as
  // its date lies ahead. Refused with the same tolerance, answered as any bad signature.
  const skew = signedTimestamp(signatureHeader) - Math.floor(Date.now() / 1000);
  if (!Number.isFinite(skew) || skew > SIGNATURE_TOLERANCE_SECONDS) {
    throw new HttpError(400, 'bad_signature', 'Webhook signature verification failed: Timestamp outside the tolerance zone (in the future)');
  }
  // From here on the body is Stripe's: whatever is wrong with it, a retry brings the same bytes.
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    parsed = undefined;
  }
  return normaliseStripeEvent(parsed, await digestOf(rawBody));
}

/**
 * The timestamp the signature covers, read as Stripe's SDK reads it (the last `t=` element,
 * parseInt), so the check above judges the very value that was signed.
 */
function signedTimestamp(header: string): number {
  let timestamp = Number.NaN;
  for (const item of header.split(',')) {
    const [key, value] = item.split('=');
    if (key === 't') timestamp = Number.parseInt(value ?? '', 10);
  }
  return timestamp;
}

/**
 * Signed but malformed events are `rejected`: retrying them cannot help, so the webhook records
 * them and answers 2xx. Without a usable event id, the body's digest names the delivery.
 */
export function normaliseStripeEvent(value: unknown, bodyDigest = 'unknown'): PaymentEvent {
  const envelope = StripeEventEnvelope.safeParse(value);
  if (!envelope.success) {
    const type = (value as { type?: unknown } | null)?.type;
    return {
      kind: 'rejected',
      eventId: `unparsed_${bodyDigest}`,
      eventType: typeof type === 'string' && type.length > 0 ? storableText(type.slice(0, 100)) : 'unknown',
      why: 'The event is not a Stripe event object.',
    };
  }
  const { id: eventId, type, data, created } = envelope.data;
  let event: PaymentEvent;
  try {
    event = normaliseKnownEvent(eventId, type, data.object, created);
  } catch (error) {
    if (!(error instanceof MalformedEvent)) throw error;
    event = { kind: 'rejected', eventId, eventType: type, why: error.message };
  }
  return event.kind === 'ignored' ? event : storableEvent(event, type, bodyDigest);
}

/**
 * An event the database can record: one carrying text Postgres cannot store in a value we would
 * store (the whole event is Stripe's, signed, and a retry brings the same bytes) becomes a
 * rejection. Its id is the body's digest when the id itself is what cannot be stored (or is blank
 * or too long for the event log), so redeliveries find the rejection and replay it.
 */
function storableEvent(event: Exclude<PaymentEvent, { kind: 'ignored' }>, type: string, bodyDigest: string): PaymentEvent {
  const idUsable = isStorable(event.eventId) && event.eventId.trim() !== '' && event.eventId.length <= MAX_EVENT_ID_LENGTH;
  const eventId = idUsable ? event.eventId : `unstorable_${bodyDigest}`;
  const unstorable = unstorableFields(event);
  if (idUsable && unstorable.length === 0) return event;
  const named = unstorable.map((field) => FIELD_NAMES[field] ?? field).join(', ');
  return {
    kind: 'rejected',
    eventId,
    eventType: storableText(type.slice(0, 100)),
    why: unstorable.length > 0
      ? `The event's ${named} holds text Postgres cannot store (a NUL character or an unpaired UTF-16 surrogate).`
      : `The event's id is blank or longer than ${MAX_EVENT_ID_LENGTH} characters.`,
  };
}

/** The fields holding unstorable text, one level deep (a subscription's or invoice's snapshot as `subscription.status`). */
function unstorableFields(event: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(event).flatMap(([field, value]) => {
    if (typeof value === 'string') return isStorable(value) ? [] : [`${prefix}${field}`];
    if (prefix === '' && typeof value === 'object' && value !== null) return unstorableFields(value as Record<string, unknown>, `${field}.`);
    return [];
  });
}

/** billing.max_event_id_length(): the longest provider event id the event log takes. */
const MAX_EVENT_ID_LENGTH = 255;

/** Stripe's names for the fields of our normalised events, for the rejection's reason. */
const FIELD_NAMES: Record<string, string> = {
  eventId: 'id', eventType: 'type', sessionId: 'data.object.id', paymentIntent: 'payment_intent', currency: 'currency', why: 'content',
};

function normaliseKnownEvent(eventId: string, type: string, object: unknown, created: number | undefined): PaymentEvent {
  if (type === 'checkout.session.completed' || type === 'checkout.session.async_payment_succeeded') {
    const session = parseObject(StripeCheckoutSession, object, type);
    if (session.mode === 'subscription') {
      // The subscription's first invoice (invoice.paid) grants the credits and
      // customer.subscription.created records it: the session itself settles nothing.
      return { kind: 'ignored', eventId, eventType: type, why: 'a subscription checkout: its invoice.paid grants the credits' };
    }
    if (session.payment_status !== 'paid') {
      // Delayed payment methods complete unpaid; `async_payment_succeeded` follows when paid.
      return { kind: 'ignored', eventId, eventType: type, why: `payment_status is ${session.payment_status}` };
    }
    return {
      kind: 'checkout_paid',
      eventId,
      eventType: type,
      sessionId: session.id,
      amountTotal: session.amount_total,
      currency: session.currency,
      paymentIntent: session.payment_intent,
      userId: ourUserId(session.metadata?.user_id ?? session.client_reference_id),
      planId: ourPlanId(session.metadata?.plan_id),
      teamId: ourUserId(session.metadata?.team_id),
    };
  }
  if (type === 'checkout.session.expired' || type === 'checkout.session.async_payment_failed') {
    const session = parseObject(StripeCheckoutSession, object, type);
    return {
      kind: 'checkout_failed',
      eventId,
      sessionId: session.id,
      reason: type === 'checkout.session.expired' ? 'expired' : 'async_payment_failed',
    };
  }
  if (type === 'charge.refunded') {
    const charge = parseObject(StripeCharge, object, type);
    if (!charge.payment_intent) {
      return { kind: 'ignored', eventId, eventType: type, why: 'the charge has no payment intent' };
    }
    return {
      kind: 'charge_refunded',
      eventId,
      paymentIntent: charge.payment_intent,
      amountRefunded: charge.amount_refunded,
      currency: charge.currency,
    };
  }
  if (type === 'customer.subscription.created' || type === 'customer.subscription.updated' || type === 'customer.subscription.deleted') {
    const subscription = parseObject(StripeSubscription, object, type);
    return { kind: 'subscription_changed', eventId, eventType: type, subscription: normaliseSubscription(subscription, createdOf(created, type)) };
  }
  if (type === 'invoice.paid' || type === 'invoice.payment_failed') {
    const invoice = normaliseInvoice(parseObject(StripeInvoice, object, type), createdOf(created, type));
    if (typeof invoice === 'string') return { kind: 'ignored', eventId, eventType: type, why: invoice };
    return { kind: type === 'invoice.paid' ? 'invoice_paid' : 'invoice_failed', eventId, invoice };
  }
  return { kind: 'ignored', eventId, eventType: type, why: 'event type not handled' };
}

/** Subscription states are ordered by the event's creation time: an event without one is malformed. */
function createdOf(created: number | undefined, type: string): number {
  if (created === undefined) throw new MalformedEvent(`Malformed ${type} event (created: required).`);
  return created;
}

async function digestOf(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

type ObjectSchema = typeof StripeCheckoutSession | typeof StripeCharge | typeof StripeSubscription | typeof StripeInvoice;

function parseObject<S extends ObjectSchema>(schema: S, value: unknown, type: string) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new MalformedEvent(`Malformed ${type} event (${details}).`);
  }
  return parsed.data as ReturnType<S['parse']>;
}
