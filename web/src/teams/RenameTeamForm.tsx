// Owners and admins rename the team; the switcher in every tab shows the new name at its next read.
import { useState, type FormEvent } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { renameTeam } from './teamsApi.ts';
import { useTeamAction } from './useTeamAction.ts';
import { useWorkspace } from './useWorkspace.ts';
import { TEAM_NAME_MAX } from './CreateTeamForm.tsx';

export function RenameTeamForm({ teamId, name }: { teamId: string; name: string }) {
  const client = useSupabase();
  const { reload } = useWorkspace();
  const [value, setValue] = useState(name);
  const [saved, setSaved] = useState(false);
  const action = useTeamAction(reload);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const result = await action.run(() => renameTeam(client, teamId, value));
    setSaved(result.ok);
  }

  return (
    <form className="team-inline-form" onSubmit={submit} noValidate aria-label="Rename the team">
      <div className="field">
        <label htmlFor="team-name">Team name</label>
        <input id="team-name" value={value} maxLength={TEAM_NAME_MAX} onChange={(event) => { setValue(event.target.value); setSaved(false); }} />
      </div>
      <button type="submit" className="button button--secondary" disabled={action.busy || value === name}>Rename</button>
      {saved && <span role="status">Renamed.</span>}
      {action.error && <ErrorMessage error={action.error} />}
    </form>
  );
}
