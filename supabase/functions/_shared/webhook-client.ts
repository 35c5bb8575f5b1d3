// Delivers a signed event to the project's own stripe-webhook function, as Stripe would.
import { z } from 'zod';
import { HttpError } from './errors.ts';

const WebhookAnswer = z.object({ status: z.string().optional(), replayed: z.boolean().optional() }).passthrough();

export async function postToWebhook(supabaseUrl: string, payload: string, signature: string): Promise<Record<string, unknown>> {
  const url = new URL('/functions/v1/stripe-webhook', supabaseUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
      body: payload,
    });
  } catch (error) {
    throw new HttpError(502, 'provider_error', `Could not reach the webhook at ${url}: ${error instanceof Error ? error.message : error}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new HttpError(502, 'provider_error', `The webhook answered ${response.status}: ${text.slice(0, 500)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const answer = WebhookAnswer.safeParse(body);
  if (!answer.success) throw new HttpError(502, 'provider_error', 'The webhook answered with an unexpected body.');
  return answer.data;
}
