// Follows one checkout after the payment page sent the user back: polls the user's payments row
// until the webhook has marked it paid (or failed). The balance itself arrives via the provider.
// A subscription's session has no payments row of its own: `subscription` polls for its first
// paid invoice instead.
import { useEffect, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import { fetchPaymentBySession } from './billingApi.ts';
import { fetchSubscriptionCheckoutPayment } from './subscriptionApi.ts';
import type { Payment } from './billingTypes.ts';

export type PaymentStatus =
  | { state: 'waiting'; payment: Payment | null }
  | { state: 'paid'; payment: Payment }
  | { state: 'failed'; payment: Payment }
  | { state: 'slow' }
  | { state: 'error'; error: AppError };

const POLL_INTERVAL_MS = 1000;
const GIVE_UP_AFTER_MS = 60_000;

export function usePaymentStatus(sessionId: string | null, subscription = false): PaymentStatus | null {
  const client = useSupabase();
  const [status, setStatus] = useState<PaymentStatus | null>(null);

  useEffect(() => {
    if (!sessionId) {
      setStatus(null);
      return;
    }
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const startedAt = Date.now();
    setStatus({ state: 'waiting', payment: null });

    const poll = async () => {
      const result = await (subscription ? fetchSubscriptionCheckoutPayment : fetchPaymentBySession)(client, sessionId);
      if (!active) return;
      if (!result.ok) {
        setStatus({ state: 'error', error: result.error });
      } else if (result.data && (result.data.status === 'paid' || result.data.status === 'refunded' || result.data.status === 'partially_refunded')) {
        setStatus({ state: 'paid', payment: result.data });
        return;
      } else if (result.data && result.data.status === 'failed') {
        setStatus({ state: 'failed', payment: result.data });
        return;
      } else {
        setStatus({ state: 'waiting', payment: result.data });
      }
      if (Date.now() - startedAt > GIVE_UP_AFTER_MS) {
        setStatus({ state: 'slow' });
        return;
      }
      timer = setTimeout(poll, POLL_INTERVAL_MS);
    };
    void poll();
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [client, sessionId, subscription]);

  return status;
}
