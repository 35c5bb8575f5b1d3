// One interview for its detail page. An id that is not a UUID is "not found" without asking the
// server (PostgREST would answer 400 22P02); another user's interview is "not found" too (RLS).
import { useCallback, useEffect, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import { fetchInterview } from './interviewsApi.ts';
import type { InterviewDetail } from './interviewTypes.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type InterviewState =
  | { state: 'loading' }
  | { state: 'not_found' }
  | { state: 'error'; error: AppError }
  | { state: 'ready'; interview: InterviewDetail };

export function useInterview(interviewId: string | undefined): {
  interview: InterviewState;
  reload(): Promise<void>;
} {
  const client = useSupabase();
  const valid = interviewId !== undefined && UUID.test(interviewId);
  const [interview, setInterview] = useState<InterviewState>(valid ? { state: 'loading' } : { state: 'not_found' });

  const reload = useCallback(async () => {
    if (!valid) {
      setInterview({ state: 'not_found' });
      return;
    }
    const result = await fetchInterview(client, interviewId);
    if (!result.ok) setInterview({ state: 'error', error: result.error });
    else setInterview(result.data ? { state: 'ready', interview: result.data } : { state: 'not_found' });
  }, [client, interviewId, valid]);

  useEffect(() => { void reload(); }, [reload]);

  return { interview, reload };
}
