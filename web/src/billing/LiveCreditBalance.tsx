import { CreditBalance } from './CreditBalance.tsx';
import { useBilling } from './useBilling.ts';

/** The sidebar's balance (available and reserved), fed by the billing provider's live value. */
export function LiveCreditBalance() {
  const { credits, reserved, loading, lowBalanceThreshold } = useBilling();
  return <CreditBalance credits={credits} reserved={reserved} loading={loading} threshold={lowBalanceThreshold} />;
}
