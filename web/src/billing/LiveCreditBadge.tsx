// The balance in the phone's top bar, so it is on screen without opening the menu. Fed by the
// billing provider's live value, like the sidebar's; a link to billing, where credits are bought.
import { Link } from 'react-router-dom';
import { formatCredits } from '../lib/format.ts';
import { isLowBalance } from './lowBalance.ts';
import { useBilling } from './useBilling.ts';

export function LiveCreditBadge() {
  const { credits, loading } = useBilling();
  const low = credits !== null && isLowBalance(credits);
  return (
    <Link to="/billing" className={`credit-badge${low ? ' credit-badge--low' : ''}`} data-testid="topbar-balance">
      <span className="visually-hidden">Balance: </span>
      {/* Only one of the two balances is ever displayed, so only one announces a change. */}
      <span aria-live="polite">{credits === null ? (loading ? '…' : '—') : formatCredits(credits)}</span>
    </Link>
  );
}
