// The larger packs (plans of kind 'tier'). Each is a one-time purchase, so the words never suggest a subscription.
import { useState } from 'react';
import { useBilling } from './useBilling.ts';
import { PlanCard } from './PlanCard.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';

export function PlanList() {
  const { plans, plansError, buyPlan, checkoutPlanId, refresh } = useBilling();
  const [error, setError] = useState<AppError | null>(null);
  const tiers = plans.filter((plan) => plan.kind === 'tier');

  return (
    <section className="card" aria-labelledby="plans-title">
      <h2 id="plans-title">Bigger packs</h2>
      <p className="muted" data-testid="plans-one-time">One-time payments, not subscriptions: nothing renews.</p>
      {plansError && tiers.length === 0 && <ErrorMessage error={plansError} onRetry={() => { void refresh(); }} />}
      {tiers.length === 0 ? (
        !plansError && <p className="muted">No plans are available right now.</p>
      ) : (
        <div className="plan-grid">
          {tiers.map((plan) => (
            <PlanCard
              key={plan.id} plan={plan} busy={checkoutPlanId === plan.id} disabled={checkoutPlanId !== null}
              onBuy={async (planId) => {
                setError(null);
                const result = await buyPlan(planId);
                if (!result.ok) setError(result.error);
              }}
            />
          ))}
        </div>
      )}
      {error && <ErrorMessage error={error} />}
    </section>
  );
}
