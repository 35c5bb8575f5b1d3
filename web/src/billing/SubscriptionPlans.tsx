// The subscription plans (plans of kind 'subscription', monthly and yearly) with their Subscribe
// buttons, for a workspace without a live subscription; its owners and admins only.
import { useState } from 'react';
import { useBilling } from './useBilling.ts';
import { SubscriptionPlanCard } from './SubscriptionPlanCard.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';

export function SubscriptionPlans() {
  const { plans, buyPlan, checkoutPlanId } = useBilling();
  const [error, setError] = useState<AppError | null>(null);
  const offered = plans.filter((plan) => plan.kind === 'subscription');
  if (offered.length === 0) return null;
  return (
    <>
      <div className="plan-grid" data-testid="subscription-plans">
        {offered.map((plan) => (
          <SubscriptionPlanCard
            key={plan.id} plan={plan} busy={checkoutPlanId === plan.id} disabled={checkoutPlanId !== null}
            onSubscribe={async (planId) => {
              setError(null);
              const result = await buyPlan(planId);
              if (!result.ok) setError(result.error);
            }}
          />
        ))}
      </div>
      {error && <ErrorMessage error={error} />}
    </>
  );
}
