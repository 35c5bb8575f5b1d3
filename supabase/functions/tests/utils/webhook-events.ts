// Stripe events as the stripe-webhook function receives them: the event envelope and a request
// signed as Stripe signs it (by the same code the local provider signs with).
import { signStripePayload } from '../../_shared/local-events.ts';

export function stripeEvent(type: string, object: Record<string, unknown>, id = `evt_test_${crypto.randomUUID().replaceAll('-', '')}`) {
  return { id, object: 'event', api_version: '2025-01-27.acacia', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object } };
}

export async function signedWebhookRequest(
  event: unknown,
  secret: string,
  options: { timestamp?: number; tamper?: (body: string) => string } = {},
): Promise<Request> {
  const body = JSON.stringify(event);
  const signature = await signStripePayload(body, secret, options.timestamp);
  return new Request('http://localhost/functions/v1/stripe-webhook', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
    body: options.tamper ? options.tamper(body) : body,
  });
}
