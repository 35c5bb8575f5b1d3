// The plans table for BillingProvider: read on mount and again on every reload(), with the last
// failure kept so the page can say why there are no prices instead of "no plans".
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import type { AppError } from '../lib/appError.ts';
import type { Result } from '../lib/result.ts';
import * as api from './billingApi.ts';
import type { Plan } from './billingTypes.ts';

export interface PlansState {
  plans: Plan[];
  /** The last failed read; cleared by the next successful one. */
  plansError: AppError | null;
  reloadPlans(): Promise<Result<Plan[]>>;
  /** Reads the plans only if no read has succeeded yet (refresh() calls it on every resync). */
  ensurePlans(): Promise<void>;
}

export function usePlans(client: AppSupabaseClient): PlansState {
  const [plans, setPlans] = useState<Plan[]>([]);
  const [plansError, setPlansError] = useState<AppError | null>(null);
  const mounted = useRef(true);
  const loaded = useRef(false);

  const reloadPlans = useCallback(async () => {
    const result = await api.fetchPlans(client);
    if (mounted.current) {
      if (result.ok) {
        loaded.current = true;
        setPlans(result.data);
        setPlansError(null);
      } else {
        setPlansError(result.error);
      }
    }
    return result;
  }, [client]);

  const ensurePlans = useCallback(async () => {
    if (!loaded.current) await reloadPlans();
  }, [reloadPlans]);

  useEffect(() => {
    mounted.current = true;
    loaded.current = false;
    void reloadPlans();
    return () => { mounted.current = false; };
  }, [reloadPlans]);

  return { plans, plansError, reloadPlans, ensurePlans };
}
