// The signed-in user's interviews, with cancel-and-refund. The refunded balance is billing's to
// re-read (app/InterviewsPage asks it to); this feature does not know about billing.
import { useCallback, useEffect, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
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
    return result;
  }, [client, reload]);

  return { interviews, loading, error, reload, cancel };
}
