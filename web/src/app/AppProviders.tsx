// The providers every page needs, in dependency order: client → session → (drafts, billing state).
import type { ReactNode } from 'react';
import { SupabaseProvider } from '../lib/SupabaseProvider.tsx';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { AuthProvider } from '../auth/index.ts';
import { BillingForSession } from './BillingForSession.tsx';
import { DraftsForSession } from './DraftsForSession.tsx';

export function AppProviders({ client, children }: { client: AppSupabaseClient; children: ReactNode }) {
  return (
    <SupabaseProvider client={client}>
      <AuthProvider>
        <DraftsForSession>
          <BillingForSession>{children}</BillingForSession>
        </DraftsForSession>
      </AuthProvider>
    </SupabaseProvider>
  );
}
