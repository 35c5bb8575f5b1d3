// The providers every page needs, in dependency order: client → session → billing state.
import type { ReactNode } from 'react';
import { SupabaseProvider } from '../lib/SupabaseProvider.tsx';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { AuthProvider } from '../auth/index.ts';
import { BillingForSession } from './BillingForSession.tsx';

export function AppProviders({ client, children }: { client: AppSupabaseClient; children: ReactNode }) {
  return (
    <SupabaseProvider client={client}>
      <AuthProvider>
        <BillingForSession>{children}</BillingForSession>
      </AuthProvider>
    </SupabaseProvider>
  );
}
