// Chooses the workspace this tab shows: Personal, then each team (my_workspaces()). A native
// select: labelled, keyboard- and phone-friendly, and a long team name is cut by the browser, not
// by the layout. `id` keeps the sidebar's and the top bar's copies apart.
import { useWorkspace } from './useWorkspace.ts';

const PERSONAL = 'personal';

export function WorkspaceSwitcher({ id, tone = 'dark' }: { id: string; tone?: 'dark' | 'light' }) {
  const { workspaces, teamId, select, loading } = useWorkspace();
  const teams = workspaces.filter((workspace) => workspace.kind === 'team');
  // The remembered team before the list arrives: an option for it, so the select shows it.
  const waiting = teamId !== null && !teams.some((team) => team.team_id === teamId);
  return (
    <div className={`workspace-switcher workspace-switcher--${tone}`}>
      <label className="workspace-switcher__label" htmlFor={id}>Workspace</label>
      <select
        id={id} className="workspace-switcher__select" data-testid="workspace-switcher" value={teamId ?? PERSONAL}
        onChange={(event) => select(event.target.value === PERSONAL ? null : event.target.value)}
      >
        <option value={PERSONAL}>Personal</option>
        {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
        {waiting && <option value={teamId}>{loading ? 'Loading…' : 'Team'}</option>}
      </select>
    </div>
  );
}
