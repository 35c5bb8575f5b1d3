// "Manage subscription": asks the billing-portal function where the workspace's subscription is
// managed (Stripe's customer portal, or the local portal page) and goes there. The function refuses
// anyone but the buyer or the team's owners and admins, and the card shows the button only to them.
import { useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { openBillingPortal } from './subscriptionApi.ts';
import { redirectToCheckout } from './redirectToCheckout.ts';

export function ManageSubscriptionButton({ teamId, primary = false }: { teamId: string | null; primary?: boolean }) {
  const client = useSupabase();
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  return (
    <>
      <button
        type="button" className={`button ${primary ? 'button--primary' : 'button--secondary'}`} disabled={opening}
        onClick={async () => {
          setOpening(true);
          setError(null);
          const result = await openBillingPortal(client, teamId);
          if (result.ok) {
            redirectToCheckout(result.data);
          } else {
            setError(result.error);
            setOpening(false);
          }
        }}
      >
        {opening ? 'Opening…' : 'Manage subscription'}
      </button>
      {error && <ErrorMessage error={error} />}
    </>
  );
}
