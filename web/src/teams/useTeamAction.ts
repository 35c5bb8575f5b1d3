// Runs one team change at a time for a form or button: busy while it runs, the server's refusal
// kept (in plain words) until the next attempt, and `after` (a re-read) once it succeeded.
import { useCallback, useState } from 'react';
import type { AppError } from '../lib/appError.ts';
import type { Result } from '../lib/result.ts';

export interface TeamAction {
  busy: boolean;
  error: AppError | null;
  run<T>(action: () => Promise<Result<T>>): Promise<Result<T>>;
  clear(): void;
}

export function useTeamAction(after?: () => Promise<void> | void): TeamAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<Result<T>>) => {
    setBusy(true);
    setError(null);
    const result = await action();
    setBusy(false);
    if (!result.ok) setError(result.error);
    // A refusal may come from a list that changed meanwhile (someone removed already): re-read too.
    await after?.();
    return result;
  }, [after]);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}
