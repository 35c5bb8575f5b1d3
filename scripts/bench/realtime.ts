// Realtime commit-to-callback latency (placeholder until measured).
import type { StackEnv } from '../lib/stack-env.ts';
import type { Row } from './report.ts';

export interface RealtimeOptions { apiUrl: string; dbUrl: string; env: StackEnv; quick: boolean }

export async function runRealtime(_options: RealtimeOptions): Promise<{ rows: Row[]; details: unknown }> {
  return { rows: [], details: {} };
}
