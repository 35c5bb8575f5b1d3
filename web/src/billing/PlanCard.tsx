import type { Plan } from './billingTypes.ts';
import { formatMoney } from '../lib/format.ts';

interface Props {
  plan: Plan;
  busy: boolean;
  disabled: boolean;
  onBuy(planId: string): void;
}

export function PlanCard({ plan, busy, disabled, onBuy }: Props) {
  const perCredit = formatMoney(Math.round(plan.price_cents / plan.credits), plan.currency);
  return (
    <article className="plan-card" aria-labelledby={`plan-${plan.id}`}>
      <h3 id={`plan-${plan.id}`}>{plan.name}</h3>
      <p className="plan-card__price">{formatMoney(plan.price_cents, plan.currency)}</p>
      <p className="plan-card__credits">{plan.credits} credits <span className="muted">({perCredit} each)</span></p>
      {plan.description && <p className="muted">{plan.description}</p>}
      <button
        type="button" className="button button--secondary button--block" disabled={disabled}
        aria-label={`Buy ${plan.name}: ${plan.credits} credits`} onClick={() => onBuy(plan.id)}
      >
        {busy ? 'Opening checkout…' : 'Choose plan'}
      </button>
    </article>
  );
}
