// The low-balance banner: shown while the available credits are below the workspace's alert.
// Pure (props in), so it is tested without a provider; LiveLowBalanceBanner feeds it the live
// balance and threshold in the shell, on every page of every open tab.
import { Link } from 'react-router-dom';
import { formatCredits } from '../lib/format.ts';
import { showsLowBalanceBanner } from './lowBalance.ts';

interface Props {
  credits: number | null;
  threshold: number | null;
  /** Whether the reader may buy credits (the recruiter, a team's owners and admins). */
  canBuy?: boolean;
}

export function LowBalanceBanner({ credits, threshold, canBuy = true }: Props) {
  if (!showsLowBalanceBanner(credits, threshold) || credits === null || threshold === null) return null;
  return (
    <div className="low-balance-banner" role="status" data-testid="low-balance-banner">
      <strong>{credits === 0 ? 'No credits left.' : `Low balance: ${formatCredits(credits)} left`}</strong>
      {credits > 0 && `, below your alert of ${formatCredits(threshold)}.`}{' '}
      {canBuy ? <Link to="/billing">Add credits</Link> : 'Ask a team owner or admin to add credits.'}
    </div>
  );
}
