// Tells the user, before they submit, what the interview will cost, whether they can afford it
// with their available credits, and that creating it reserves them rather than spending them.
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
      {credits !== null && <> You have {formatCredits(credits)} available.</>}
      {short && <> You need {formatCredits(cost.cost - credits)} more.</>}
      {!short && <span className="cost-notice__hold"> They are reserved when you create it, spent only once it takes place, and returned if you cancel.</span>}
    </p>
  );
}
