// The billing page's low-balance alert: "Warn me when available credits fall below N". Saving
// sets it for the workspace (set_low_balance_alert): the owner(s) get a mail when the balance
// crosses it and every open tab shows the banner while below. Only those who may buy change it
// (the recruiter, a team's owners and admins); members see the setting.
import { useState, type FormEvent } from 'react';
import { formatCredits } from '../lib/format.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';
import { useBilling } from './useBilling.ts';

export function LowBalanceAlertSettings({ canChange }: { canChange: boolean }) {
  const { lowBalanceThreshold, setLowBalanceAlert, teamId } = useBilling();
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const who = teamId === null ? 'you' : 'the team’s owners';

  const save = async (threshold: number | null) => {
    setSaving(true);
    const result = await setLowBalanceAlert(threshold);
    setSaving(false);
    setError(result.ok ? null : result.error);
    if (result.ok) setDraft('');
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(Number(draft));
  };

  return (
    <section className="card" aria-labelledby="low-balance-title" data-testid="low-balance-settings">
      <h2 id="low-balance-title">Low-balance alert</h2>
      <p data-testid="low-balance-current">
        {lowBalanceThreshold === null
          ? 'Off: no warning before the credits run out.'
          : `On: when available credits fall below ${formatCredits(lowBalanceThreshold)}, ${who} get an e-mail and every open tab shows a warning.`}
      </p>
      {canChange && (
        <form className="inline-form" onSubmit={onSubmit}>
          <label htmlFor="low-balance-threshold">Warn below</label>
          <input
            id="low-balance-threshold" type="number" min={1} step={1} inputMode="numeric" required
            value={draft} onChange={(event) => setDraft(event.target.value)}
            placeholder={lowBalanceThreshold === null ? 'e.g. 10' : String(lowBalanceThreshold)}
          />
          <span>credits</span>
          <button type="submit" className="button" disabled={saving || draft === ''}>Save alert</button>
          {lowBalanceThreshold !== null && (
            <button type="button" className="button button--ghost" disabled={saving} onClick={() => { void save(null); }}>Turn off</button>
          )}
        </form>
      )}
      {error && <ErrorMessage error={error} />}
    </section>
  );
}
