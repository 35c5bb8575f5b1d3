// The providers every page needs, in dependency order: client → session → drafts → the workspace
// this tab shows → billing state (of that workspace).
import type { ReactNode } from 'react';
import { SupabaseProvider } from '../lib/SupabaseProvider.tsx';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { AuthProvider } from '../auth/index.ts';
import { BillingForSession } from './BillingForSession.tsx';
import { DraftsForSession } from './DraftsForSession.tsx';
import { WorkspaceForSession } from './WorkspaceForSession.tsx';

export function AppProviders({ client, children }: { client: AppSupabaseClient; children: ReactNode }) {
  return (
    <SupabaseProvider client={client}>
      <AuthProvider>
        <DraftsForSession>
          <WorkspaceForSession>
            <BillingForSession>{children}</BillingForSession>
          </WorkspaceForSession>
        </DraftsForSession>
      </AuthProvider>
    </SupabaseProvider>
  );
}
