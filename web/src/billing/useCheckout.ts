// Starting a checkout for BillingProvider: of any plan, or of the pack holding a number of credits.
// On success the browser leaves for the payment page.
import { useCallback, useState } from 'react';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { appError } from '../lib/appError.ts';
import { fail, ok, type Result } from '../lib/result.ts';
import * as api from './billingApi.ts';
import { redirectToCheckout } from './redirectToCheckout.ts';
import type { PlansState } from './usePlans.ts';

export interface CheckoutState {
  /** The plan whose checkout is being started, so its button can show progress. */
  checkoutPlanId: string | null;
  buyPlan(planId: string): Promise<Result<null>>;
  addCredits(amount: number): Promise<Result<null>>;
}

// teamId: the workspace the credits are for (null: the buyer's own); the server refuses a team
// purchase by anyone but its owners and admins (not_team_admin).
export function useCheckout(client: AppSupabaseClient, teamId: string | null, { plans, reloadPlans }: Pick<PlansState, 'plans' | 'reloadPlans'>): CheckoutState {
  const [checkoutPlanId, setCheckoutPlanId] = useState<string | null>(null);

  const buyPlan = useCallback(async (planId: string): Promise<Result<null>> => {
    setCheckoutPlanId(planId);
    const result = await api.startCheckout(client, planId, teamId);
    if (!result.ok) {
      setCheckoutPlanId(null);
      return fail(result.error);
    }
    redirectToCheckout(result.data.url);
    return ok(null);
  }, [client, teamId]);

  const addCredits = useCallback(async (amount: number): Promise<Result<null>> => {
    let available = plans;
    if (!available.some((plan) => plan.kind === 'pack' && plan.credits === amount)) {
      // The plans may simply not have loaded yet (or failed to): ask once more before saying no.
      const reloaded = await reloadPlans();
      if (!reloaded.ok) return fail(reloaded.error);
      available = reloaded.data;
    }
    const pack = available.find((plan) => plan.kind === 'pack' && plan.credits === amount);
    if (!pack) return fail(appError('unknown_plan'));
    return buyPlan(pack.id);
  }, [plans, reloadPlans, buyPlan]);

  return { checkoutPlanId, buyPlan, addCredits };
}
