// Owners set the team's monthly limit: the most credits all members together may use per month.
import { useState, type FormEvent } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { appError } from '../lib/appError.ts';
import { fail } from '../lib/result.ts';
import { setTeamLimit } from './teamsApi.ts';
import { parseLimit } from './limitInput.ts';
import { useTeamAction } from './useTeamAction.ts';

export function TeamLimitForm({ teamId, limit, onChanged }: { teamId: string; limit: number | null; onChanged(): Promise<void> }) {
  const client = useSupabase();
  const [text, setText] = useState(limit === null ? '' : String(limit));
  const [saved, setSaved] = useState(false);
  const action = useTeamAction(onChanged);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const parsed = parseLimit(text);
    const result = await action.run(() => (parsed.ok ? setTeamLimit(client, teamId, parsed.limit)
      : Promise.resolve(fail(appError('invalid_monthly_limit')))));
    setSaved(result.ok);
  }

  return (
    <form className="team-inline-form" onSubmit={submit} noValidate aria-label="Team monthly limit">
      <div className="field">
        <label htmlFor="team-limit">Team monthly limit (credits; empty for none)</label>
        <input id="team-limit" inputMode="numeric" placeholder="No limit" value={text}
          onChange={(event) => { setText(event.target.value); setSaved(false); }} />
      </div>
      <button type="submit" className="button button--secondary" disabled={action.busy}>Set team limit</button>
      {saved && <span role="status">Saved.</span>}
      {action.error && <ErrorMessage error={action.error} />}
    </form>
  );
}
