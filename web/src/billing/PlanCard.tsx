import type { Plan } from './billingTypes.ts';
import { formatCredits, formatMoney } from '../lib/format.ts';
import { pricePerCredit } from './pricePerCredit.ts';
import { creditValidity } from './creditValidity.ts';

interface Props {
  plan: Plan;
  busy: boolean;
  disabled: boolean;
  onBuy(planId: string): void;
}

export function PlanCard({ plan, busy, disabled, onBuy }: Props) {
  return (
    <article className="plan-card" aria-labelledby={`plan-${plan.id}`}>
      <h3 id={`plan-${plan.id}`}>{plan.name}</h3>
      <p className="plan-card__price">{formatMoney(plan.price_cents, plan.currency)}</p>
      <p className="plan-card__credits">{formatCredits(plan.credits)} <span className="muted">({pricePerCredit(plan)} per credit)</span></p>
      <p className="plan-card__validity" data-testid={`plan-validity-${plan.id}`}>{creditValidity(plan.credits_expire_after)}</p>
      {plan.description && <p className="muted">{plan.description}</p>}
      <button
        type="button" className="button button--secondary button--block" disabled={disabled}
        aria-label={`Buy ${plan.name}: ${formatCredits(plan.credits)} for ${formatMoney(plan.price_cents, plan.currency)}`} onClick={() => onBuy(plan.id)}
      >
        {busy ? 'Opening checkout…' : `Buy ${formatCredits(plan.credits)}`}
      </button>
    </article>
  );
}
