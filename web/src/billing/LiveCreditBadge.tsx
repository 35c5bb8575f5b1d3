// The balance in the phone's top bar, so it is on screen without opening the menu. Fed by the
// billing provider's live value, like the sidebar's; a link to billing, where credits are bought.
// The reserved part sits under the available one, and only while something is reserved.
import { Link } from 'react-router-dom';
import { formatCredits, formatNumber } from '../lib/format.ts';
import { isLowBalance } from './lowBalance.ts';
import { useBilling } from './useBilling.ts';

export function LiveCreditBadge() {
  const { credits, reserved, loading, lowBalanceThreshold } = useBilling();
  const low = credits !== null && isLowBalance(credits, lowBalanceThreshold);
  const held = credits !== null && reserved !== null && reserved > 0 ? reserved : 0;
  return (
    <Link to="/billing" className={`credit-badge${low ? ' credit-badge--low' : ''}`} data-testid="topbar-balance">
      <span className="visually-hidden">Balance: </span>
      {/* Only one of the two balances is ever displayed, so only one announces a change. */}
      <span aria-live="polite">
        <span className="credit-badge__available">{credits === null ? (loading ? '…' : '—') : formatCredits(credits)}</span>
        {held > 0 && <span className="credit-badge__reserved" data-testid="topbar-reserved">+ {formatNumber(held)} reserved</span>}
      </span>
    </Link>
  );
}
