// The balance as the sidebar shows it: the number, and a warning with a way out when it is low.
// Pure: takes the balance as props so it can be tested and reused without the provider.
import { Link } from 'react-router-dom';
import { formatCredits } from '../lib/format.ts';
import { isLowBalance } from './lowBalance.ts';

interface Props {
  credits: number | null;
  loading?: boolean;
}

export function CreditBalance({ credits, loading = false }: Props) {
  const low = credits !== null && isLowBalance(credits);
  return (
    <div className={`credit-balance${low ? ' credit-balance--low' : ''}`} aria-live="polite">
      <span className="credit-balance__label">Credits</span>
      <span className="credit-balance__value" data-testid="credit-balance">
        {credits === null ? (loading ? '…' : '—') : credits}
      </span>
      {low && (
        <p className="credit-balance__warning" role="status">
          {credits === 0 ? 'No credits left.' : `Low balance: ${formatCredits(credits)} left.`} <Link to="/billing">Add credits</Link>
        </p>
      )}
    </div>
  );
}
