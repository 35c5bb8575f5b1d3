// The workspace's subscription for BillingProvider (rpc subscription_status): read with the rest of
// the page, and again after the wallet's Realtime events (a renewal's credits, a `subscription`
// change), with the last failure kept so the card says why it is empty instead of "no subscription".
import { useCallback, useRef, useState, type RefObject } from 'react';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import type { AppError } from '../lib/appError.ts';
import type { BillingScope } from './billingApi.ts';
import { fetchSubscriptionStatus } from './subscriptionApi.ts';
import type { SubscriptionStatus } from './subscriptionSchemas.ts';

export interface SubscriptionStatusState {
  /** undefined until the first read answers; null when the workspace has no subscription. */
  subscription: SubscriptionStatus | null | undefined;
  subscriptionError: AppError | null;
  refreshSubscription(): Promise<void>;
  clearSubscription(): void;
}

export function useSubscriptionStatus(client: AppSupabaseClient, currentScope: RefObject<BillingScope | null>): SubscriptionStatusState {
  const [subscription, setSubscription] = useState<SubscriptionStatus | null | undefined>(undefined);
  const [subscriptionError, setSubscriptionError] = useState<AppError | null>(null);
  // Reads overlap (a Realtime burst, a resync): only the answer to the newest read is kept.
  const latest = useRef(0);

  const refreshSubscription = useCallback(async () => {
    const forScope = currentScope.current;
    if (!forScope) return;
    const read = ++latest.current;
    const result = await fetchSubscriptionStatus(client, forScope.teamId);
    if (read !== latest.current || currentScope.current !== forScope) return;
    if (result.ok) {
      setSubscription(result.data);
      setSubscriptionError(null);
    } else {
      setSubscriptionError(result.error);
    }
  }, [client, currentScope]);

  const clearSubscription = useCallback(() => {
    latest.current += 1;
    setSubscription(undefined);
    setSubscriptionError(null);
  }, []);

  return { subscription, subscriptionError, refreshSubscription, clearSubscription };
}
