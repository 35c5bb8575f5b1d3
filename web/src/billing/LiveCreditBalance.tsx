import { CreditBalance } from './CreditBalance.tsx';
import { useBilling } from './useBilling.ts';

/** The sidebar's balance, fed by the billing provider's live value. */
export function LiveCreditBalance() {
  const { credits, loading } = useBilling();
  return <CreditBalance credits={credits} loading={loading} />;
}
