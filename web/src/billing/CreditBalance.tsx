// The balance as the sidebar shows it: what can be spent now, what scheduled interviews hold (only
// when something is held, so an ordinary balance stays one number), and a warning with a way out
// when the available part is low. Pure: takes the balance as props so it can be tested and reused.
import { Link } from 'react-router-dom';
import { formatCredits, formatNumber } from '../lib/format.ts';
import { isLowBalance } from './lowBalance.ts';

interface Props {
  credits: number | null;
  reserved?: number | null;
  loading?: boolean;
  /** The workspace's low-balance alert (null: the default warning level). */
  threshold?: number | null;
}

export function CreditBalance({ credits, reserved = null, loading = false, threshold = null }: Props) {
  const low = credits !== null && isLowBalance(credits, threshold);
  const held = credits !== null && reserved !== null && reserved > 0 ? reserved : 0;
  return (
    <div className={`credit-balance${low ? ' credit-balance--low' : ''}`} aria-live="polite">
      <span className="credit-balance__label">Credits</span>
      <span className="credit-balance__amount">
        <span className="credit-balance__value" data-testid="credit-balance">
          {credits === null ? (loading ? '…' : '—') : formatNumber(credits)}
        </span>
        {held > 0 && <span className="credit-balance__unit"> available</span>}
      </span>
      {held > 0 && (
        <span className="credit-balance__reserved" data-testid="credit-reserved" title="Held for scheduled interviews: spent when they take place, returned if cancelled">
          {formatNumber(held)} reserved for interviews
        </span>
      )}
      {low && (
        <p className="credit-balance__warning" role="status">
          {credits === 0 ? 'No credits left.' : `Low balance: ${formatCredits(credits)} left.`} <Link to="/billing">Add credits</Link>
        </p>
      )}
    </div>
  );
}
