// The billing page's "Subscription" card for the selected workspace: the plan, its state, when it
// renews (or ends), what its credits do at period end, a notice when the last payment failed or
// when it ends at period end, and Manage (for whoever may: the buyer, a team's owners and admins).
// Without a live subscription it offers the subscription plans to those who may buy for the
// workspace. Members of a team see the team's subscription but manage nothing.
import { useBilling } from './useBilling.ts';
import { isLive } from './subscriptionSchemas.ts';
import { statusLabel, everyInterval, perInterval } from './subscriptionWords.ts';
import { SubscriptionPeriodEnd } from './SubscriptionPeriodEnd.tsx';
import { SubscriptionPlans } from './SubscriptionPlans.tsx';
import { ManageSubscriptionButton } from './ManageSubscriptionButton.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { formatCredits, formatDate, formatMoney } from '../lib/format.ts';

interface Props {
  /** Whether the signed-in user may buy for this workspace (personal, or a team's owner/admin). */
  canBuy: boolean;
}

export function SubscriptionCard({ canBuy }: Props) {
  const { teamId, subscription, subscriptionError, plans, refresh } = useBilling();
  const team = teamId !== null;
  const plan = subscription ? plans.find((candidate) => candidate.id === subscription.plan_id) : undefined;
  const price = subscription?.price_cents !== undefined && subscription.currency ? { price_cents: subscription.price_cents, currency: subscription.currency } : plan;

  let body;
  if (subscription === undefined) {
    body = subscriptionError
      ? <ErrorMessage error={subscriptionError} onRetry={() => { void refresh(); }} />
      : <p className="muted">Loading…</p>;
  } else if (subscription && isLive(subscription)) {
    const end = subscription.current_period_end;
    const pastDue = subscription.status === 'past_due' || subscription.status === 'unpaid';
    body = (
      <>
        <p className="subscription-card__plan">
          <strong data-testid="subscription-plan">{subscription.plan_name}</strong>
          <span className={`status-badge status-badge--${pastDue ? 'warning' : subscription.cancel_at_period_end ? 'muted' : 'ok'}`} data-testid="subscription-status">
            {statusLabel(subscription.status, subscription.cancel_at_period_end)}
          </span>
        </p>
        <p data-testid="subscription-credits">
          {formatCredits(subscription.credits_per_period)} {everyInterval(subscription.billing_interval)}
          {price && <span className="muted"> · {formatMoney(price.price_cents, price.currency)}{perInterval(subscription.billing_interval)}</span>}
        </p>
        {pastDue && (
          <div className="alert alert--error" role="alert" data-testid="subscription-past-due">
            <p className="alert__title">Your last payment failed — update your card</p>
            <p className="alert__message">
              {subscription.can_manage
                ? 'Use Manage subscription to pay with another card. Your credits stay usable while the payment is retried.'
                : 'Ask an owner or admin of the team to update the card. The credits stay usable while the payment is retried.'}
            </p>
          </div>
        )}
        {end && (subscription.cancel_at_period_end ? (
          <p className="subscription-card__ends" role="note" data-testid="subscription-ends">
            Ends on {formatDate(end)}; your credits last until then. Nothing more will be charged.
          </p>
        ) : !pastDue && (
          // Past due, the renewal is what failed: the notice above says what to do instead.
          <p data-testid="subscription-renews">Renews on <strong>{formatDate(end)}</strong>.</p>
        ))}
        <SubscriptionPeriodEnd subscription={subscription} />
        {subscription.can_manage
          ? <div className="button-row"><ManageSubscriptionButton teamId={teamId} primary={pastDue} /></div>
          : team && <p className="muted" data-testid="subscription-admins-manage">Only the team’s owners and admins manage its subscription.</p>}
      </>
    );
  } else {
    body = (
      <>
        <p className="muted" data-testid="subscription-none">
          {subscription?.status === 'canceled' && subscription.current_period_end
            ? `The ${subscription.plan_name} subscription ended on ${formatDate(subscription.current_period_end)}. `
            : `${team ? 'This team has' : 'You have'} no subscription. `}
          {canBuy
            ? 'Subscribe to get credits every month or year, charged automatically; cancel any time.'
            : 'Only the team’s owners and admins can start one.'}
        </p>
        {canBuy && <SubscriptionPlans />}
      </>
    );
  }

  return (
    <section className="card subscription-card" aria-labelledby="subscription-title" data-testid="subscription-card">
      <h2 id="subscription-title">Subscription</h2>
      {body}
    </section>
  );
}
