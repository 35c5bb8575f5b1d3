// Billing state for whoever is signed in: hands the session's user to BillingProvider, so the
// billing feature needs nothing from auth.
import type { ReactNode } from 'react';
import { useAuth } from '../auth/index.ts';
import { BillingProvider } from '../billing/index.ts';

export function BillingForSession({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  return <BillingProvider userId={user?.id ?? null}>{children}</BillingProvider>;
}
