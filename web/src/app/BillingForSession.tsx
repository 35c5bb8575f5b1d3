// Billing state for whoever is signed in, on the workspace this tab shows: hands the session's
// user and the selected team to BillingProvider, and the membership event it hears back to the
// workspace selection, so the billing feature needs nothing from auth or teams.
import type { ReactNode } from 'react';
import { useAuth } from '../auth/index.ts';
import { BillingProvider } from '../billing/index.ts';
import { useWorkspace } from '../teams/index.ts';

export function BillingForSession({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const { teamId, membershipEnded } = useWorkspace();
  return <BillingProvider userId={user?.id ?? null} teamId={teamId} onMembershipEnded={membershipEnded}>{children}</BillingProvider>;
}
