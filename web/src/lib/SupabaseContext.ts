import { createContext } from 'react';
import type { AppSupabaseClient } from './supabaseClient.ts';

export const SupabaseContext = createContext<AppSupabaseClient | null>(null);
