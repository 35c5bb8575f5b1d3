import { LowBalanceBanner } from './LowBalanceBanner.tsx';
import { useBilling } from './useBilling.ts';

/** The shell's banner, fed by the billing provider's live balance and the workspace's alert. */
export function LiveLowBalanceBanner() {
  const { credits, lowBalanceThreshold, teamId, summary } = useBilling();
  // In a team only owners and admins buy; a member is told whom to ask (the role comes with the summary).
  const canBuy = teamId === null || summary?.role === 'owner' || summary?.role === 'admin';
  return <LowBalanceBanner credits={credits} threshold={lowBalanceThreshold} canBuy={canBuy} />;
}
