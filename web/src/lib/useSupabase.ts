import { useContext } from 'react';
import { SupabaseContext } from './SupabaseContext.ts';
import type { AppSupabaseClient } from './supabaseClient.ts';

export function useSupabase(): AppSupabaseClient {
  const client = useContext(SupabaseContext);
  if (!client) throw new Error('useSupabase must be used inside <SupabaseProvider>');
  return client;
}
