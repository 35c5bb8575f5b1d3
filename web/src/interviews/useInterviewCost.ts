// The price of an interview, asked from interview_cost() (the one place pricing is computed).
import { useEffect, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import { fetchInterviewCost } from './interviewsApi.ts';

export type CostState = { state: 'loading' } | { state: 'ready'; cost: number } | { state: 'error'; error: AppError };

export function useInterviewCost(durationMinutes: number, interviewType: string): CostState {
  const client = useSupabase();
  const [cost, setCost] = useState<CostState>({ state: 'loading' });

  useEffect(() => {
    let active = true;
    setCost({ state: 'loading' });
    fetchInterviewCost(client, durationMinutes, interviewType).then((result) => {
      if (!active) return;
      setCost(result.ok ? { state: 'ready', cost: result.data } : { state: 'error', error: result.error });
    });
    return () => { active = false; };
  }, [client, durationMinutes, interviewType]);

  return cost;
}
