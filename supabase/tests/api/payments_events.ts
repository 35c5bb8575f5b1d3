// Helpers for the payment API tests: Stripe-shaped events signed exactly as Stripe signs them
// (stripe.webhooks.generateTestHeaderString with the stack's webhook secret), delivered over HTTP
// to the running stack's /functions/v1/stripe-webhook, plus a pending checkout to settle.
import crypto from 'node:crypto';
import Stripe from 'stripe';
import { FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import { API_URL, stackEnv } from '../../../test-support/stack.ts';

export function eventId(): string {
  return `evt_test_${crypto.randomBytes(12).toString('hex')}`;
}

export function checkoutCompleted(args: { sessionId: string; userId: string; amountTotal: number; paymentIntent: string; id?: string; currency?: string }) {
  return {
    id: args.id ?? eventId(),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: 'checkout.session.completed',
    data: {
      object: {
        id: args.sessionId,
        object: 'checkout.session',
        amount_total: args.amountTotal,
        currency: args.currency ?? 'usd',
        payment_status: 'paid',
        status: 'complete',
        payment_intent: args.paymentIntent,
        client_reference_id: args.userId,
        metadata: { user_id: args.userId },
      },
    },
  };
}

export function chargeRefunded(args: { paymentIntent: string; amount: number; amountRefunded: number; id?: string }) {
  return {
    id: args.id ?? eventId(),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: 'charge.refunded',
    data: {
      object: {
        id: `ch_${crypto.randomBytes(8).toString('hex')}`,
        object: 'charge',
        amount: args.amount,
        amount_refunded: args.amountRefunded,
        currency: 'usd',
        refunded: args.amountRefunded >= args.amount,
        payment_intent: args.paymentIntent,
      },
    },
  };
}

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs an event with a Stripe-Signature header (the stack's secret unless another is given). */
export async function deliver(event: unknown, options: { secret?: string; signature?: string } = {}): Promise<WebhookAnswer> {
  const payload = JSON.stringify(event);
  const signature = options.signature
    ?? Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? stackEnv().STRIPE_WEBHOOK_SECRET });
  const response = await fetch(`${API_URL}/functions/v1/stripe-webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
    body: payload,
  });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

/** The `{ error: { code } }` of a failed functions.invoke, or null when it succeeded. */
export async function invokeErrorCode(error: unknown): Promise<{ status: number; code: string } | null> {
  if (!error) return null;
  if (!(error instanceof FunctionsHttpError)) throw error;
  const response = error.context as Response;
  const body = await response.json() as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code ?? '' };
}

/** Starts a checkout as the signed-in client (local provider): the pending session id. */
export async function startCheckout(client: SupabaseClient, planId: string, teamId?: string): Promise<{ session_id: string; payment_id: string; url: string }> {
  const { data, error } = await client.functions.invoke('checkout', { body: teamId ? { plan_id: planId, team_id: teamId } : { plan_id: planId } });
  if (error) throw new Error(`checkout failed: ${JSON.stringify(await invokeErrorCode(error))}`);
  return data as { session_id: string; payment_id: string; url: string };
}
