// The auto top-up card's state: its settings are not the balance or the history the billing
// provider owns (nothing else reads them), so the card's own hook holds them. It re-reads when
// the workspace's balance changes (a top-up landing moves it, and the month's charges with it).
import { useCallback, useEffect, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import type { Result } from '../lib/result.ts';
import { fetchAutoTopup, saveAutoTopup, turnOffAutoTopup, type AutoTopupChoice, type AutoTopupStatus } from './autoTopupApi.ts';

export interface AutoTopupState {
  status: AutoTopupStatus | null;
  error: AppError | null;
  saving: boolean;
  save(choice: AutoTopupChoice): Promise<boolean>;
  turnOff(): Promise<boolean>;
}

export function useAutoTopup(teamId: string | null, balance: number | null): AutoTopupState {
  const client = useSupabase();
  const [status, setStatus] = useState<AutoTopupStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let active = true;
    void fetchAutoTopup(client, teamId).then((result) => {
      if (!active) return;
      if (result.ok) setStatus(result.data);
      else setError(result.error);
    });
    return () => { active = false; };
  }, [client, teamId, balance]);

  const apply = useCallback(async (call: () => Promise<Result<AutoTopupStatus>>) => {
    setSaving(true);
    setError(null);
    const result = await call();
    setSaving(false);
    if (result.ok) setStatus(result.data);
    else setError(result.error);
    return result.ok;
  }, []);

  return {
    status, error, saving,
    save: (choice) => apply(() => saveAutoTopup(client, teamId, choice)),
    turnOff: () => apply(() => turnOffAutoTopup(client, teamId)),
  };
}
