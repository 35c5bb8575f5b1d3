// Tells the user, before they submit, what the interview will cost and whether they can afford it.
import type { CostState } from './useInterviewCost.ts';
import { formatCredits } from '../lib/format.ts';

interface Props {
  cost: CostState;
  credits: number | null;
}

export function InterviewCostNotice({ cost, credits }: Props) {
  if (cost.state === 'loading') return <p className="cost-notice" role="status">Working out the price…</p>;
  if (cost.state === 'error') return <p className="cost-notice cost-notice--warning" role="status">{cost.error.title}: the price will be confirmed when you create the interview.</p>;
  const short = credits !== null && credits < cost.cost;
  return (
    <p className={`cost-notice${short ? ' cost-notice--warning' : ''}`} role="status" data-testid="interview-cost" data-cost={cost.cost}>
      This interview costs <strong>{formatCredits(cost.cost)}</strong>.
      {credits !== null && <> You have {formatCredits(credits)}.</>}
      {short && <> You need {formatCredits(cost.cost - credits)} more.</>}
    </p>
  );
}
