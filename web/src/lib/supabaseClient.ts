// The typed Supabase client. Created once in main.tsx (or per test) and handed down through
// SupabaseProvider, so nothing imports a module-level singleton.
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import type { Database } from './database.types.ts';

export type AppSupabaseClient = SupabaseClient<Database>;

export function createAppClient(
  url: string,
  publishableKey: string,
  options: SupabaseClientOptions<'public'> = {},
): AppSupabaseClient {
  return createClient<Database>(url, publishableKey, options);
}
