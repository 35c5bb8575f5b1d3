// The LOCAL payment provider's checkout of a subscription plan. The session has no payments row
// (each invoice will have its own): the subscriptions row the checkout function recorded
// ('incomplete', found by checkout_session_id) says what is bought. Subscribing calls
// local-subscription complete_checkout, which sends what Stripe would (the subscription created,
// its first invoice paid, the session completed), signed, to the real webhook.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useSupabase } from '../lib/useSupabase.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { appError, type AppError } from '../lib/appError.ts';
import { formatCredits, formatMoney } from '../lib/format.ts';
import { useBilling } from './useBilling.ts';
import { fetchSubscriptionByCheckout, localSubscription, type SubscriptionRow } from './subscriptionApi.ts';
import { everyInterval, perInterval, periodEndTerms } from './subscriptionWords.ts';

export function LocalSubscriptionCheckout() {
  const client = useSupabase();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const sessionId = params.get('session_id');
  const { plans } = useBilling();
  const [row, setRow] = useState<SubscriptionRow | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [payError, setPayError] = useState<AppError | null>(null);
  const [paying, setPaying] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!sessionId) return;
    let active = true;
    setLoadError(null);
    fetchSubscriptionByCheckout(client, sessionId).then((result) => {
      if (!active) return;
      if (!result.ok) setLoadError(result.error);
      else if (!result.data) setLoadError(appError('checkout_link_invalid', { message: 'This checkout session does not exist or belongs to another account. Start again from the billing page.' }));
      else setRow(result.data);
    });
    return () => { active = false; };
  }, [client, sessionId, attempt]);

  const plan = row ? plans.find((candidate) => candidate.id === row.plan_id) : undefined;
  const success = (id: string) => navigate(`/billing?checkout=success&session_id=${encodeURIComponent(id)}&mode=subscription`, { replace: true });

  let body;
  if (!sessionId) {
    body = <ErrorMessage error={appError('checkout_link_invalid', { message: 'The checkout link is missing its session. Start again from the billing page.' })} />;
  } else if (loadError) {
    body = <ErrorMessage error={loadError} onRetry={() => setAttempt((n) => n + 1)} />;
  } else if (!row || (!plan && plans.length === 0)) {
    body = <LoadingScreen label="Loading your order" />;
  } else if (!plan) {
    body = <ErrorMessage error={appError('unknown_plan')} />;
  } else if (row.status !== 'incomplete') {
    body = (
      <>
        <p>This subscription has already started.</p>
        <button type="button" className="button button--primary" onClick={() => success(sessionId)}>Back to billing</button>
      </>
    );
  } else {
    const price = `${formatMoney(plan.price_cents, plan.currency)}${perInterval(plan.billing_interval)}`;
    body = (
      <>
        <dl className="order-summary">
          <dt>Plan</dt><dd data-testid="checkout-plan" data-plan-id={plan.id}>{plan.name}</dd>
          <dt>You get</dt><dd data-testid="checkout-credits">{formatCredits(plan.credits)} {everyInterval(plan.billing_interval)}</dd>
          <dt>Total</dt><dd data-testid="checkout-amount">{formatMoney(plan.price_cents, plan.currency)} {everyInterval(plan.billing_interval)}</dd>
        </dl>
        <p className="muted" data-testid="checkout-terms">{periodEndTerms(plan)} Renews automatically until you cancel; cancel any time and keep the credits until the period ends.</p>
        {payError && <ErrorMessage error={payError} />}
        <div className="button-row">
          <button
            type="button" className="button button--primary" disabled={paying}
            onClick={async () => {
              setPaying(true);
              setPayError(null);
              const result = await localSubscription(client, { action: 'complete_checkout', session_id: sessionId });
              if (result.ok) success(sessionId);
              else {
                setPayError(result.error);
                setPaying(false);
              }
            }}
          >
            {paying ? 'Subscribing…' : `Subscribe for ${price}`}
          </button>
          <button type="button" className="button button--ghost" disabled={paying} onClick={() => navigate('/billing?checkout=cancelled', { replace: true })}>Cancel</button>
        </div>
      </>
    );
  }

  return (
    <main className="checkout-page">
      <section className="checkout-card" aria-labelledby="checkout-title">
        <p className="checkout-card__badge">Local test payment: no real money moves</p>
        <h1 id="checkout-title">Subscribe</h1>
        {body}
        {(!sessionId || loadError) && <Link className="button button--secondary" to="/billing">Back to billing</Link>}
      </section>
    </main>
  );
}
