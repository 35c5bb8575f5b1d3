// The interviews of one workspace (teamId; null = personal), with cancel-and-refund. The refunded balance is billing's to
// re-read (app/InterviewsPage asks it to); this feature does not know about billing.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import type { Result } from '../lib/result.ts';
import { cancelInterview, fetchInterviews, type CancelledInterview } from './interviewsApi.ts';
import type { ListedInterview } from './interviewTypes.ts';

export interface InterviewsState {
  interviews: ListedInterview[];
  loading: boolean;
  error: AppError | null;
  reload(): Promise<void>;
  cancel(interviewId: string): Promise<Result<CancelledInterview>>;
}

export function useInterviews(teamId: string | null = null): InterviewsState {
  const client = useSupabase();
  const [interviews, setInterviews] = useState<ListedInterview[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<AppError | null>(null);

  // A switch of workspace starts a new read: an answer for the previous one is dropped.
  const latestRead = useRef(0);
  const reload = useCallback(async () => {
    const read = ++latestRead.current;
    const result = await fetchInterviews(client, teamId);
    if (read !== latestRead.current) return;
    if (result.ok) {
      setInterviews(result.data);
      setError(null);
    } else {
      setError(result.error);
    }
    setLoading(false);
  }, [client, teamId]);

  useEffect(() => {
    setInterviews([]);
    setLoading(true);
    void reload();
  }, [reload]);

  const cancel = useCallback(async (interviewId: string) => {
    const result = await cancelInterview(client, interviewId);
    await reload();
    return result;
  }, [client, reload]);

  return { interviews, loading, error, reload, cancel };
}
