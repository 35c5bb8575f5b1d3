// In a team workspace with a monthly limit: how many credits the member may still use this
// month, and, when the interview costs more, that only a team owner can change that.
import { formatCredits } from '../lib/format.ts';

export function MonthlyLimitNotice({ limitLeft, overLimit }: { limitLeft: number | null; overLimit: boolean }) {
  if (limitLeft === null) return null;
  return (
    <p className={`cost-notice${overLimit ? ' cost-notice--warning' : ''}`} data-testid="limit-left" id="limit-disabled-reason">
      Your monthly limit in this team leaves <strong>{formatCredits(limitLeft)}</strong> this month.
      {overLimit && ' This interview costs more: ask a team owner to raise the limit, or choose a shorter one.'}
    </p>
  );
}
