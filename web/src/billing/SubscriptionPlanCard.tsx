// One subscription plan offered: price per month or year, credits each period, what happens to
// unused credits at period end, and Subscribe (the checkout, in subscription mode). The plan's
// description is not shown: it repeats what the columns say, and the columns are what is charged.
import type { Plan } from './billingTypes.ts';
import { formatCredits, formatMoney } from '../lib/format.ts';
import { everyInterval, perInterval, periodEndTerms } from './subscriptionWords.ts';

interface Props {
  plan: Plan;
  busy: boolean;
  disabled: boolean;
  onSubscribe(planId: string): void;
}

export function SubscriptionPlanCard({ plan, busy, disabled, onSubscribe }: Props) {
  const price = formatMoney(plan.price_cents, plan.currency);
  const every = everyInterval(plan.billing_interval);
  return (
    <article className="plan-card" aria-labelledby={`plan-${plan.id}`} data-testid={`subscription-plan-${plan.id}`}>
      <h3 id={`plan-${plan.id}`}>{plan.name}</h3>
      <p className="plan-card__price">{price}<span className="plan-card__per">{perInterval(plan.billing_interval)}</span></p>
      <p className="plan-card__credits">{formatCredits(plan.credits)} {every}</p>
      <p className="plan-card__validity">{periodEndTerms(plan)}</p>
      <button
        type="button" className="button button--primary button--block" disabled={disabled}
        aria-label={`Subscribe to ${plan.name}: ${formatCredits(plan.credits)} ${every} for ${price}`} onClick={() => onSubscribe(plan.id)}
      >
        {busy ? 'Opening checkout…' : 'Subscribe'}
      </button>
    </article>
  );
}
