// The LOCAL payment provider's checkout of a pack or tier (a one-time payment; LocalCheckoutPage
// picks it). Paying calls local-checkout-complete, which sends a signed Stripe-format event to the
// real webhook.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useSupabase } from '../lib/useSupabase.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { appError, type AppError } from '../lib/appError.ts';
import { formatCredits, formatMoney } from '../lib/format.ts';
import { pricePerCredit } from './pricePerCredit.ts';
import { completeLocalCheckout, fetchPaymentBySession } from './billingApi.ts';
import { useBilling } from './useBilling.ts';
import { LocalTestCardPicker, type LocalTestCardId } from './LocalTestCardPicker.tsx';
import type { Payment } from './billingTypes.ts';

export function LocalPackCheckout() {
  const client = useSupabase();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const sessionId = params.get('session_id');
  const [payment, setPayment] = useState<Payment | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [payError, setPayError] = useState<AppError | null>(null);
  const [paying, setPaying] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [card, setCard] = useState<LocalTestCardId>('pm_card_visa');
  const { plans } = useBilling();

  useEffect(() => {
    if (!sessionId) return;
    let active = true;
    setLoadError(null);
    fetchPaymentBySession(client, sessionId).then((result) => {
      if (!active) return;
      if (!result.ok) setLoadError(result.error);
      else if (!result.data) setLoadError(appError('checkout_link_invalid', { message: 'This checkout session does not exist or belongs to another account. Start again from the billing page.' }));
      else setPayment(result.data);
    });
    return () => { active = false; };
  }, [client, sessionId, attempt]);

  const plan = payment ? plans.find((candidate) => candidate.id === payment.plan_id) : undefined;
  const backToBilling = (query: string) => navigate(`/billing?${query}`, { replace: true });

  let body;
  if (!sessionId) {
    body = <ErrorMessage error={appError('checkout_link_invalid', { message: 'The checkout link is missing its session. Start again from the billing page.' })} />;
  } else if (loadError) {
    body = <ErrorMessage error={loadError} onRetry={() => setAttempt((n) => n + 1)} />;
  } else if (!payment) {
    body = <LoadingScreen label="Loading your order" />;
  } else if (payment.status !== 'pending') {
    body = (
      <>
        <p>This checkout is already {payment.status === 'paid' ? 'paid' : payment.status.replace('_', ' ')}.</p>
        <button type="button" className="button button--primary" onClick={() => backToBilling(`checkout=success&session_id=${encodeURIComponent(payment.provider_session_id)}`)}>Back to billing</button>
      </>
    );
  } else {
    body = (
      <>
        <dl className="order-summary">
          {/* A pack's name is its credit count ("5 credits"): naming it beside the count says it twice. */}
          {plan && plan.kind === 'tier' && <><dt>Plan</dt><dd data-testid="checkout-plan" data-plan-id={payment.plan_id}>{plan.name}</dd></>}
          <dt>You get</dt><dd data-testid="checkout-credits" data-plan-id={payment.plan_id}>{formatCredits(payment.credits)} <span className="muted">({pricePerCredit({ price_cents: payment.amount_cents, credits: payment.credits, currency: payment.currency })} per credit, one-time payment)</span></dd>
          <dt>Total</dt><dd data-testid="checkout-amount">{formatMoney(payment.amount_cents, payment.currency)}</dd>
        </dl>
        <LocalTestCardPicker value={card} onChange={setCard} />
        {payError && <ErrorMessage error={payError} />}
        <div className="button-row">
          <button
            type="button" className="button button--primary" disabled={paying}
            onClick={async () => {
              setPaying(true);
              setPayError(null);
              const result = await completeLocalCheckout(client, payment.provider_session_id, card);
              if (result.ok) backToBilling(`checkout=success&session_id=${encodeURIComponent(payment.provider_session_id)}`);
              else {
                setPayError(result.error);
                setPaying(false);
              }
            }}
          >
            {paying ? 'Paying…' : `Pay ${formatMoney(payment.amount_cents, payment.currency)}`}
          </button>
          <button type="button" className="button button--ghost" disabled={paying} onClick={() => backToBilling('checkout=cancelled')}>Cancel</button>
        </div>
      </>
    );
  }

  return (
    <main className="checkout-page">
      <section className="checkout-card" aria-labelledby="checkout-title">
        <p className="checkout-card__badge">Local test payment: no real money moves</p>
        <h1 id="checkout-title">Checkout</h1>
        {body}
        {/* Whatever went wrong above, there is always a way back. */}
        {(!sessionId || loadError) && <Link className="button button--secondary" to="/billing">Back to billing</Link>}
      </section>
    </main>
  );
}
