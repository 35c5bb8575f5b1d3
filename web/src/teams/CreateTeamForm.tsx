// Creates a team workspace (the signed-in user becomes its owner) and switches this tab to it.
import { useState, type FormEvent } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { createTeam } from './teamsApi.ts';
import { useTeamAction } from './useTeamAction.ts';
import { useWorkspace } from './useWorkspace.ts';

export const TEAM_NAME_MAX = 100;

export function CreateTeamForm() {
  const client = useSupabase();
  const { reload, select } = useWorkspace();
  const [name, setName] = useState('');
  const action = useTeamAction();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await action.run(() => createTeam(client, name));
    if (!result.ok) return;
    setName('');
    // The list must hold the new team before the tab switches to it (else "not one of yours").
    await reload();
    select(result.data.team_id);
  }

  return (
    <section className="card" aria-labelledby="create-team-title">
      <h2 id="create-team-title">Create a team</h2>
      <p className="muted">A team has its own credits that its members spend on interviews. You will be its owner.</p>
      <form className="team-inline-form" onSubmit={submit} noValidate aria-label="Create a team">
        <div className="field">
          <label htmlFor="new-team-name">Name of the new team</label>
          <input id="new-team-name" value={name} maxLength={TEAM_NAME_MAX} onChange={(event) => setName(event.target.value)} />
        </div>
        <button type="submit" className="button button--primary" disabled={action.busy}>{action.busy ? 'Creating…' : 'Create team'}</button>
      </form>
      {action.error && <ErrorMessage error={action.error} />}
    </section>
  );
}
