export { BillingProvider } from './BillingProvider.tsx';
export { useBilling } from './useBilling.ts';
export type { BillingValue } from './BillingContext.ts';
export { BillingPage } from './BillingPage.tsx';
export { LocalCheckoutPage } from './LocalCheckoutPage.tsx';
export { LiveCreditBalance } from './LiveCreditBalance.tsx';
export { CreditBalance } from './CreditBalance.tsx';
export { LedgerHistory } from './LedgerHistory.tsx';
export { useInterviewLedger } from './useInterviewLedger.ts';
