// The banner shown on /billing after the payment page sends the user back:
// ?checkout=success&session_id=… (pending until the webhook lands and the page's numbers include
// the purchase, then success, once per payment) or ?checkout=cancelled. `&mode=subscription`: the
// session started a subscription, whose first invoice brings the credits.
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { usePaymentStatus } from './usePaymentStatus.ts';
import { useBilling } from './useBilling.ts';
import { acknowledge, wasAcknowledged } from './checkoutAcknowledgement.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { appError } from '../lib/appError.ts';
import { formatCredits } from '../lib/format.ts';

export function CheckoutStatus() {
  const [params, setParams] = useSearchParams();
  const outcome = params.get('checkout');
  const sessionId = outcome === 'success' ? params.get('session_id') : null;
  const subscription = params.get('mode') === 'subscription';
  // Decided when a session first shows up, not on every render: acknowledging it below must not
  // hide the banner the user is reading.
  const [arrival, setArrival] = useState(() => ({ sessionId, seenBefore: sessionId !== null && wasAcknowledged(sessionId) }));
  if (arrival.sessionId !== sessionId) setArrival({ sessionId, seenBefore: sessionId !== null && wasAcknowledged(sessionId) });
  const seenBefore = arrival.sessionId === sessionId && arrival.seenBefore;
  const status = usePaymentStatus(seenBefore ? null : sessionId, subscription);
  const { refresh } = useBilling();
  const paid = status?.state === 'paid';
  /** The session whose purchase the balance, totals and history on this page already include. */
  const [reflected, setReflected] = useState<string | null>(null);

  const dismiss = () => {
    const next = new URLSearchParams(params);
    next.delete('checkout');
    next.delete('session_id');
    next.delete('mode');
    setParams(next, { replace: true });
  };

  // An old success URL (reload, back button): the history already shows the purchase.
  useEffect(() => {
    if (seenBefore) dismiss();
  });

  // "Payment complete" only once the numbers around it include the purchase: re-read them first
  // (Realtime normally brings the balance sooner; this also covers a dropped socket).
  useEffect(() => {
    if (!paid || !sessionId) return;
    let active = true;
    void refresh().then(() => {
      if (!active) return;
      setReflected(sessionId);
      acknowledge(sessionId);
    });
    return () => { active = false; };
  }, [paid, sessionId, refresh]);

  if (outcome === 'cancelled') {
    return (
      <div className="checkout-status" data-checkout-state="cancelled">
        <ErrorMessage error={appError('payment_cancelled')} tone="notice" onDismiss={dismiss} />
      </div>
    );
  }
  if (outcome !== 'success' || seenBefore) return null;
  if (!sessionId) {
    return (
      <div className="checkout-status" data-checkout-state="invalid">
        <ErrorMessage
          error={appError('checkout_link_invalid', { message: 'The payment page sent us back without a session. The history below shows every purchase that went through.' })}
          onDismiss={dismiss}
        />
      </div>
    );
  }
  if (!status || status.state === 'waiting' || (status.state === 'paid' && reflected !== sessionId)) {
    return (
      <div className="alert alert--info checkout-status" role="status" data-checkout-state="pending">
        <span className="spinner" aria-hidden="true" />
        <div>
          <p className="alert__title">Payment received — adding credits…</p>
          <p className="alert__message">We are confirming your payment with the provider. This usually takes a few seconds.</p>
        </div>
      </div>
    );
  }
  if (status.state === 'paid') {
    return (
      <div className="alert alert--success checkout-status" role="status" data-checkout-state="success">
        <div>
          <p className="alert__title">{subscription ? 'Subscription started' : 'Payment complete'}</p>
          <p className="alert__message">
            {formatCredits(status.payment.credits)} added to {status.payment.team_id ? 'the team’s balance' : 'your balance'}
            {subscription ? '; the next ones come with each renewal.' : '.'}
          </p>
        </div>
        <button type="button" className="button button--ghost" onClick={dismiss}>Dismiss</button>
      </div>
    );
  }
  if (status.state === 'failed') {
    return (
      <div className="checkout-status" data-checkout-state="failed">
        <ErrorMessage error={appError('unknown', { message: 'The payment did not go through and you were not charged. Please try again.' })} onDismiss={dismiss} />
      </div>
    );
  }
  if (status.state === 'slow') {
    return (
      <div className="alert alert--info checkout-status" role="status" data-checkout-state="slow">
        <p className="alert__message">Your payment is still being confirmed. Your credits will appear here as soon as it is; you can keep working.</p>
        <button type="button" className="button button--ghost" onClick={dismiss}>Dismiss</button>
      </div>
    );
  }
  return <ErrorMessage error={status.error} />;
}
