// Reads the server's truth behind the UI with the service role (never through the page).
import WebSocket from 'ws';
import { createClient } from '@supabase/supabase-js';
import { loadStackEnv } from '../../scripts/lib/stack-env.ts';
import { API_URL } from './stackUrls.ts';

async function service() {
  const env = await loadStackEnv();
  return createClient(API_URL, env.SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

export async function balanceOf(email: string): Promise<number> {
  const { data, error } = await (await service()).from('users').select('credits').eq('email', email).single();
  if (error) throw new Error(`reading the balance of ${email} failed: ${error.message}`);
  return (data as { credits: number }).credits;
}

export async function interviewsOf(email: string): Promise<{ status: string; cost: number }[]> {
  const client = await service();
  const { data: user, error } = await client.from('users').select('id').eq('email', email).single();
  if (error) throw new Error(`reading user ${email} failed: ${error.message}`);
  const { data, error: listError } = await client.from('interviews').select('status, cost').eq('user_id', (user as { id: string }).id);
  if (listError) throw new Error(`reading interviews failed: ${listError.message}`);
  return data as { status: string; cost: number }[];
}
