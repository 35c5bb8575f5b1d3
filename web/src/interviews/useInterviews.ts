// The signed-in user's interviews, with cancel-and-refund. The balance change arrives through the
// billing provider; this hook only asks it to re-read.
import { useCallback, useEffect, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import { useBilling } from '../billing/index.ts';
import type { AppError } from '../lib/appError.ts';
import type { Result } from '../lib/result.ts';
import { cancelInterview, fetchInterviews, type CancelledInterview } from './interviewsApi.ts';
import type { Interview } from './interviewTypes.ts';

export interface InterviewsState {
  interviews: Interview[];
  loading: boolean;
  error: AppError | null;
  reload(): Promise<void>;
  cancel(interviewId: string): Promise<Result<CancelledInterview>>;
}

export function useInterviews(): InterviewsState {
  const client = useSupabase();
  const { refresh: refreshBilling } = useBilling();
  const [interviews, setInterviews] = useState<Interview[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<AppError | null>(null);

  const reload = useCallback(async () => {
    const result = await fetchInterviews(client);
    if (result.ok) {
      setInterviews(result.data);
      setError(null);
    } else {
      setError(result.error);
    }
    setLoading(false);
  }, [client]);

  useEffect(() => { void reload(); }, [reload]);

  const cancel = useCallback(async (interviewId: string) => {
    const result = await cancelInterview(client, interviewId);
    await reload();
    void refreshBilling();
    return result;
  }, [client, reload, refreshBilling]);

  return { interviews, loading, error, reload, cancel };
}
