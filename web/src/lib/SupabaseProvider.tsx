import type { ReactNode } from 'react';
import { SupabaseContext } from './SupabaseContext.ts';
import type { AppSupabaseClient } from './supabaseClient.ts';

export function SupabaseProvider({ client, children }: { client: AppSupabaseClient; children: ReactNode }) {
  return <SupabaseContext.Provider value={client}>{children}</SupabaseContext.Provider>;
}
