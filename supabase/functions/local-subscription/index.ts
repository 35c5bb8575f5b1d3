// POST /functions/v1/local-subscription  (signed-in; local stack only, never deployed)
//   { "action": "complete_checkout", "session_id": "cs_local_…" }            the local checkout's Subscribe
//   { "action": "renew" | "fail_renewal" | "cancel_at_period_end" | "resume" | "cancel_now", "subscription_id": "<uuid>" }
//   { "action": "change_plan", "subscription_id": "<uuid>", "plan_id": "sub_pro_monthly" }
// The local provider plays Stripe Billing: each action builds the events Stripe would send
// (local-subscription-actions.ts), signs them with the webhook secret and posts them to the real
// stripe-webhook, so the production code settles them. Refused (403) when STRIPE_SECRET_KEY is
// set or SITE_URL or SUPABASE_URL is not local, like local-checkout-complete. Only the buyer (a
// personal subscription, and any checkout) or an owner or admin of the team may act.
// Answers { subscription_id, events: [{ type, ...the webhook's answer }] }.
import type { SupabaseClient } from '@supabase/supabase-js';
import { preflight } from '../_shared/cors.ts';
import { requireLocalStack } from '../_shared/env.ts';
import { errorResponse, HttpError } from '../_shared/errors.ts';
import { readJson, requireMethod } from '../_shared/http.ts';
import { localCustomerId, signStripePayload } from '../_shared/local-events.ts';
import { actionEvents, startEvents } from '../_shared/local-subscription-actions.ts';
import { type LocalSubscriptionState, localSubscriptionId, periodEndAfter, subscriptionCheckoutCompletedEvent } from '../_shared/local-subscription-events.ts';
import { activePlan, planById, requireTeamBuyer } from '../_shared/payments-db.ts';
import { jsonResponse } from '../_shared/responses.ts';
import { LocalSubscriptionBody, type PlanRow } from '../_shared/schemas.ts';
import { type SubscriptionRow, subscriptionBy } from '../_shared/subscriptions-db.ts';
import { requireUser, serviceClient } from '../_shared/supabase.ts';
import { postToWebhook } from '../_shared/webhook-client.ts';

export async function handle(req: Request): Promise<Response> {
  try {
    const early = preflight(req);
    if (early) return early;
    requireMethod(req, 'POST');
    const env = requireLocalStack('Local subscription');
    const user = await requireUser(req, env);
    const body = await readJson(req, LocalSubscriptionBody);
    const db = serviceClient(env);
    const now = Math.floor(Date.now() / 1000);

    let row: SubscriptionRow;
    let events: unknown[];
    if (body.action === 'complete_checkout') {
      const found = await subscriptionBy(db, 'checkout_session_id', body.session_id);
      if (!found || found.provider !== 'local') throw new HttpError(404, 'not_found', 'No local subscription checkout with that session id.');
      if (found.user_id !== user.id) throw new HttpError(403, 'forbidden', 'This checkout belongs to another account.');
      if (found.provider_subscription_id !== null) {
        // Already paid (a second click): nothing more to send.
        return jsonResponse({ subscription_id: found.id, replayed: true, events: [] });
      }
      row = found;
      const plan = await planById(db, found.plan_id);
      const state = startingState(found, plan, body.session_id);
      const started = startEvents(state, now);
      events = [...started.events, subscriptionCheckoutCompletedEvent(body.session_id, state, started.invoiceId, env.SITE_URL, now)];
    } else {
      row = await ownedSubscription(db, body.subscription_id, user.id);
      const current = await planById(db, row.plan_id);
      const newPlan = body.action === 'change_plan' ? await subscriptionPlan(db, body.plan_id) : undefined;
      events = actionEvents(stateOf(row, current), body.action, eventTime(row, now), newPlan);
    }

    const answers: Record<string, unknown>[] = [];
    for (const event of events) {
      const payload = JSON.stringify(event);
      const answer = await postToWebhook(env.SUPABASE_URL, payload, await signStripePayload(payload, env.STRIPE_WEBHOOK_SECRET));
      const type = (event as { type: string }).type;
      // A local event the webhook refuses is a bug of this function or of the SQL: say so.
      if (answer.action === 'rejected') throw new HttpError(502, 'provider_error', `The webhook rejected ${type}: ${JSON.stringify(answer)}`);
      answers.push({ type, ...answer });
    }
    return jsonResponse({ subscription_id: row.id, events: answers });
  } catch (error) {
    return errorResponse(error);
  }
}

/** A local subscription that has started, which the caller may manage; else 404 no_subscription / 403. */
async function ownedSubscription(db: SupabaseClient, id: string, userId: string): Promise<SubscriptionRow> {
  const row = await subscriptionBy(db, 'id', id);
  if (!row || row.provider !== 'local' || row.provider_subscription_id === null) {
    throw new HttpError(404, 'no_subscription', 'No local subscription with that id.');
  }
  if (row.team_id) await requireTeamBuyer(db, row.team_id, userId, 'Only an owner or admin of the team can manage its subscription.');
  else if (row.user_id !== userId) throw new HttpError(403, 'forbidden', 'This subscription belongs to another account.');
  return row;
}

async function subscriptionPlan(db: SupabaseClient, planId: string) {
  const plan = await activePlan(db, planId);
  if (plan.kind !== 'subscription') throw new HttpError(400, 'plan_not_subscription', `Plan "${planId}" is not a subscription plan.`);
  return plan;
}

function seconds(iso: string | null, fallback: number): number {
  return iso === null ? fallback : Math.floor(new Date(iso).getTime() / 1000);
}

/**
 * Stripe dates events in seconds and does not order deliveries; the SQL keeps the newest state.
 * Two local actions within one second would tie, so each is dated at least a second after the
 * last event the subscription recorded.
 */
function eventTime(row: SubscriptionRow, now: number): number {
  return Math.max(now, seconds(row.last_event_at, 0) + 1);
}

/**
 * The subscription a checkout starts. Its ids and first period derive from the checkout (the
 * session id, the row's creation), so two Subscribe clicks at once send the same subscription
 * and the same first invoice, which the SQL grants once.
 */
function startingState(row: SubscriptionRow, plan: PlanRow, sessionId: string): LocalSubscriptionState {
  const start = seconds(row.created_at, 0);
  return {
    subscriptionId: localSubscriptionId(sessionId),
    customerId: localCustomerId(row.team_id ?? row.user_id),
    userId: row.user_id,
    teamId: row.team_id,
    plan,
    status: 'active',
    periodStart: start,
    periodEnd: periodEndAfter(start, plan.billing_interval ?? 'month'),
    cancelAtPeriodEnd: false,
    canceledAt: null,
    created: start,
  };
}

function stateOf(row: SubscriptionRow, plan: PlanRow): LocalSubscriptionState {
  const created = seconds(row.created_at, 0);
  const periodStart = seconds(row.current_period_start, created);
  return {
    subscriptionId: row.provider_subscription_id as string,
    customerId: row.provider_customer_id ?? localCustomerId(row.team_id ?? row.user_id),
    userId: row.user_id,
    teamId: row.team_id,
    plan,
    // The local portal's states: anything that is not over or past due plays as active.
    status: row.status === 'canceled' || row.status === 'incomplete_expired' ? 'canceled' : row.status === 'past_due' || row.status === 'unpaid' ? 'past_due' : 'active',
    periodStart,
    periodEnd: seconds(row.current_period_end, periodEndAfter(periodStart, plan.billing_interval ?? 'month')),
    cancelAtPeriodEnd: row.cancel_at_period_end,
    canceledAt: row.canceled_at === null ? null : seconds(row.canceled_at, 0),
    created,
  };
}

if (import.meta.main) Deno.serve(handle);
