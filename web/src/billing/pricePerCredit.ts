import { formatMoney } from '../lib/format.ts';
import type { Plan } from './billingTypes.ts';

/** What one credit of a plan costs, rounded to the cent: "$0.90". */
export function pricePerCredit(plan: Pick<Plan, 'price_cents' | 'credits' | 'currency'>): string {
  return formatMoney(Math.round(plan.price_cents / plan.credits), plan.currency);
}
