// The LOCAL payment provider's customer portal (/portal/local?subscription=<id>), where the
// billing-portal function sends the Manage button when no Stripe key is configured. It plays
// Stripe's portal (cancel at period end, resume, change plan) and, for development, what Stripe
// does on its own (renew now, a failed renewal, cancel now), each through `local-subscription`,
// which sends the signed events Stripe would to the real webhook.
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useSupabase } from '../lib/useSupabase.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { appError, type AppError } from '../lib/appError.ts';
import { formatCredits, formatDate, formatMoney } from '../lib/format.ts';
import { useBilling } from './useBilling.ts';
import { fetchSubscription, localSubscription, type LocalSubscriptionAction, type SubscriptionRow } from './subscriptionApi.ts';
import { everyInterval, perInterval, statusLabel } from './subscriptionWords.ts';
import { portalOutcome } from './portalOutcome.ts';
import './billing.css';
import { usePageTitle } from '../ui/usePageTitle.ts';

type Action = LocalSubscriptionAction['action'];
/** The buttons that name only the subscription (not a checkout session, not a new plan). */
type SubscriptionAction = Exclude<Action, 'complete_checkout' | 'change_plan'>;

export function LocalPortalPage() {
  usePageTitle('Manage subscription');
  const client = useSupabase();
  const [params] = useSearchParams();
  const id = params.get('subscription');
  const { plans } = useBilling();
  const [row, setRow] = useState<SubscriptionRow | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [newPlan, setNewPlan] = useState('');

  const load = useCallback(async (): Promise<SubscriptionRow | null> => {
    if (!id) return null;
    const result = await fetchSubscription(client, id);
    if (!result.ok) setLoadError(result.error);
    else if (!result.data) setLoadError(appError('no_subscription', { message: 'This subscription does not exist or belongs to another account. Open Manage subscription again from the billing page.' }));
    else {
      setLoadError(null);
      setRow(result.data);
      return result.data;
    }
    return null;
  }, [client, id]);

  useEffect(() => { void load(); }, [load]);

  const run = async (body: LocalSubscriptionAction) => {
    setBusy(body.action);
    setActionError(null);
    setOutcome(null);
    const result = await localSubscription(client, body);
    if (!result.ok) {
      // 409 from local-subscription: the subscription ended meanwhile (another tab, Cancel now).
      setActionError(result.error.code === 'conflict'
        ? appError('no_subscription', { message: 'This subscription has already ended. Go back to billing to start a new one.' }) : result.error);
      void load();
    } else {
      const before = row;
      const next = await load();
      const planName = plans.find((plan) => plan.id === next?.plan_id)?.name ?? 'the new plan';
      if (next) setOutcome(portalOutcome(body.action, before, next, planName));
      if (body.action === 'change_plan') setNewPlan('');
    }
    setBusy(null);
  };

  const plan = row ? plans.find((candidate) => candidate.id === row.plan_id) : undefined;
  const others = plans.filter((candidate) => candidate.kind === 'subscription' && candidate.id !== row?.plan_id);
  const ended = row !== null && ['canceled', 'incomplete_expired'].includes(row.status);
  const back = `/billing?workspace=${row?.team_id ?? 'personal'}`;
  const button = (action: SubscriptionAction, label: string, working: string, className = 'button--secondary') => (
    <button type="button" className={`button ${className}`} disabled={busy !== null} onClick={() => { if (row) void run({ action, subscription_id: row.id }); }}>
      {busy === action ? working : label}
    </button>
  );

  let body;
  if (!id) {
    body = <ErrorMessage error={appError('no_subscription', { message: 'The portal link is missing its subscription. Open Manage subscription again from the billing page.' })} />;
  } else if (loadError && !row) {
    body = <ErrorMessage error={loadError} onRetry={() => { void load(); }} />;
  } else if (!row) {
    body = <LoadingScreen label="Loading your subscription" />;
  } else {
    body = (
      <>
        <dl className="order-summary" data-testid="portal-summary">
          <dt>Plan</dt>
          <dd data-testid="portal-plan">{plan?.name ?? row.plan_id}</dd>
          {plan && (
            <>
              <dt>Price</dt><dd>{formatMoney(plan.price_cents, plan.currency)}{perInterval(plan.billing_interval)}</dd>
              <dt>Credits</dt><dd>{formatCredits(plan.credits)} {everyInterval(plan.billing_interval)}</dd>
            </>
          )}
          <dt>Status</dt>
          <dd data-testid="portal-status">{statusLabel(row.status, row.cancel_at_period_end)}</dd>
          {!ended && row.current_period_end && (
            <>
              <dt>{row.cancel_at_period_end ? 'Ends on' : 'Renews on'}</dt>
              <dd data-testid="portal-period-end">{formatDate(row.current_period_end)}</dd>
            </>
          )}
        </dl>
        {outcome && <p className="alert alert--success" role="status" data-testid="portal-outcome">{outcome}</p>}
        {actionError && <ErrorMessage error={actionError} />}
        {ended ? (
          <p className="muted">This subscription has ended. Start a new one from the billing page.</p>
        ) : (
          <>
            <section aria-labelledby="portal-manage-title">
              <h2 id="portal-manage-title">Your subscription</h2>
              <div className="button-row">
                {row.cancel_at_period_end
                  ? button('resume', 'Resume subscription', 'Resuming…', 'button--primary')
                  : button('cancel_at_period_end', 'Cancel at period end', 'Cancelling…', 'button--danger')}
              </div>
              {others.length > 0 && (
                <form
                  className="portal-change"
                  onSubmit={(event) => {
                    event.preventDefault();
                    const target = newPlan || others[0].id;
                    void run({ action: 'change_plan', subscription_id: row.id, plan_id: target });
                  }}
                >
                  <div className="field">
                    <label htmlFor="portal-new-plan">Change plan</label>
                    <select id="portal-new-plan" value={newPlan || others[0].id} onChange={(event) => setNewPlan(event.target.value)} disabled={busy !== null}>
                      {others.map((candidate) => (
                        <option key={candidate.id} value={candidate.id}>
                          {candidate.name}: {formatMoney(candidate.price_cents, candidate.currency)}{perInterval(candidate.billing_interval)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button type="submit" className="button button--secondary" disabled={busy !== null}>{busy === 'change_plan' ? 'Changing…' : 'Change'}</button>
                </form>
              )}
            </section>
            <section className="portal-dev" aria-labelledby="portal-dev-title" data-testid="portal-development">
              <h2 id="portal-dev-title">Development</h2>
              <p className="muted">What Stripe does on its own, now: each button sends the signed events Stripe would.</p>
              <div className="button-row">
                {button('renew', 'Renew now', 'Renewing…')}
                {button('fail_renewal', 'Fail the renewal', 'Failing…')}
                {button('cancel_now', 'Cancel now', 'Cancelling…', 'button--danger')}
              </div>
            </section>
          </>
        )}
      </>
    );
  }

  return (
    <main className="checkout-page">
      <section className="checkout-card portal-card" aria-labelledby="portal-title">
        <p className="checkout-card__badge">Local test portal: no real money moves</p>
        <h1 id="portal-title">Manage subscription</h1>
        {body}
        <Link className="button button--ghost" to={back}>Back to billing</Link>
      </section>
    </main>
  );
}
