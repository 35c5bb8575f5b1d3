import { useContext } from 'react';
import { BillingContext, type BillingValue } from './BillingContext.ts';

export function useBilling(): BillingValue {
  const value = useContext(BillingContext);
  if (!value) throw new Error('useBilling must be used inside <BillingProvider>');
  return value;
}
