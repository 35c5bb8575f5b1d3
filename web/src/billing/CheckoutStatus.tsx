// The banner shown on /billing after the payment page sends the user back:
// ?checkout=success&session_id=… (pending until the webhook lands, then success) or ?checkout=cancelled.
import { useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import { usePaymentStatus } from './usePaymentStatus.ts';
import { useBilling } from './useBilling.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { appError } from '../lib/appError.ts';
import { formatCredits } from '../lib/format.ts';

export function CheckoutStatus() {
  const [params, setParams] = useSearchParams();
  const outcome = params.get('checkout');
  const sessionId = outcome === 'success' ? params.get('session_id') : null;
  const status = usePaymentStatus(sessionId);
  const { refresh } = useBilling();
  const paid = status?.state === 'paid';

  // Realtime normally brings the new balance first; re-reading here covers a dropped socket.
  useEffect(() => {
    if (paid) void refresh();
  }, [paid, refresh]);

  const dismiss = () => {
    const next = new URLSearchParams(params);
    next.delete('checkout');
    next.delete('session_id');
    setParams(next, { replace: true });
  };
  const dismissButton = <button type="button" className="button button--ghost" onClick={dismiss}>Dismiss</button>;

  if (outcome === 'cancelled') {
    return (
      <div className="checkout-status" data-checkout-state="cancelled">
        <ErrorMessage error={appError('payment_cancelled')} tone="notice" />
        {dismissButton}
      </div>
    );
  }
  if (outcome !== 'success') return null;
  if (!sessionId) {
    return <ErrorMessage error={appError('invalid_input', { message: 'The payment page sent us back without a session. Check your history below.' })} />;
  }
  if (!status || status.state === 'waiting') {
    return (
      <div className="alert alert--info checkout-status" role="status" data-checkout-state="pending">
        <span className="spinner" aria-hidden="true" />
        <div>
          <p className="alert__title">Payment received, credits arriving…</p>
          <p className="alert__message">We are confirming your payment with the provider. This usually takes a few seconds.</p>
        </div>
      </div>
    );
  }
  if (status.state === 'paid') {
    return (
      <div className="alert alert--success checkout-status" role="status" data-checkout-state="success">
        <div>
          <p className="alert__title">Payment complete</p>
          <p className="alert__message">{formatCredits(status.payment.credits)} were added to your balance.</p>
        </div>
        {dismissButton}
      </div>
    );
  }
  if (status.state === 'failed') {
    return (
      <div className="checkout-status" data-checkout-state="failed">
        <ErrorMessage error={appError('unknown', { message: 'The payment did not go through and you were not charged. Please try again.' })} />
        {dismissButton}
      </div>
    );
  }
  if (status.state === 'slow') {
    return (
      <div className="alert alert--info checkout-status" role="status" data-checkout-state="slow">
        <p className="alert__message">Your payment is still being confirmed. Your credits will appear here as soon as it is; you can keep working.</p>
        {dismissButton}
      </div>
    );
  }
  return <ErrorMessage error={status.error} />;
}
