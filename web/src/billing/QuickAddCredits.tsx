// One-click purchase of the 5- and 10-credit packs.
import { useState } from 'react';
import { useBilling } from './useBilling.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { formatCredits, formatMoney } from '../lib/format.ts';
import { pricePerCredit } from './pricePerCredit.ts';
import { creditValidity } from './creditValidity.ts';
import type { AppError } from '../lib/appError.ts';

const QUICK_AMOUNTS = [5, 10] as const;

export function QuickAddCredits() {
  const { plans, plansError, addCredits, checkoutPlanId } = useBilling();
  const packsMissing = !QUICK_AMOUNTS.every((amount) => plans.some((plan) => plan.kind === 'pack' && plan.credits === amount));
  const [error, setError] = useState<AppError | null>(null);
  // How long the packs' credits last comes from the plans table, never from a promise in the copy.
  const packs = plans.filter((plan) => plan.kind === 'pack' && (QUICK_AMOUNTS as readonly number[]).includes(plan.credits));
  const validity = packs.length > 0 && packs.every((plan) => plan.credits_expire_after === packs[0].credits_expire_after)
    ? ` ${creditValidity(packs[0].credits_expire_after)}.` : '';

  return (
    <section className="card" aria-labelledby="quick-add-title">
      <h2 id="quick-add-title">Quick add</h2>
      <p className="muted" data-testid="quick-add-intro">Top up in one step with a one-time payment.{validity}</p>
      {packsMissing && (
        <p className="muted" data-testid="quick-add-unavailable">
          {plansError ? 'Prices could not be loaded, so these packs are unavailable. Try again under Plans.'
            : plans.length === 0 ? 'Loading prices…' : 'Some packs are not on sale right now.'}
        </p>
      )}
      <div className="quick-add">
        {QUICK_AMOUNTS.map((amount) => {
          const pack = plans.find((plan) => plan.kind === 'pack' && plan.credits === amount);
          const busy = pack !== undefined && checkoutPlanId === pack.id;
          return (
            <button
              key={amount} type="button" className="button button--primary quick-add__button"
              disabled={!pack || checkoutPlanId !== null}
              onClick={async () => {
                setError(null);
                const result = await addCredits(amount);
                if (!result.ok) setError(result.error);
              }}
            >
              <span className="quick-add__amount">{busy ? 'Opening checkout…' : `Add ${formatCredits(amount)}`}</span>
              {pack && <span className="quick-add__price">{formatMoney(pack.price_cents, pack.currency)} · {pricePerCredit(pack)} per credit</span>}
            </button>
          );
        })}
      </div>
      {error && <ErrorMessage error={error} />}
    </section>
  );
}
