// The credit rows one interview caused, for its detail page (app/InterviewDetailPage). Billing
// owns the ledger; the page passes the interview id in, so neither feature imports the other.
import { useEffect, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import { fetchInterviewLedger } from './billingApi.ts';
import type { LedgerEntry } from './billingTypes.ts';

export function useInterviewLedger(interviewId: string | null, version: unknown = null): { entries: LedgerEntry[] | null; error: AppError | null } {
  const client = useSupabase();
  const [state, setState] = useState<{ entries: LedgerEntry[] | null; error: AppError | null }>({ entries: null, error: null });
  useEffect(() => {
    if (!interviewId) return;
    let active = true;
    void fetchInterviewLedger(client, interviewId).then((result) => {
      if (!active) return;
      setState(result.ok ? { entries: result.data, error: null } : { entries: null, error: result.error });
    });
    return () => { active = false; };
  }, [client, interviewId, version]);
  return state;
}
