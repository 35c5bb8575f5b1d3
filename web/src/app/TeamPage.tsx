// /team: the selected team's settings, members and invitations; on the personal workspace, the
// user's teams to switch to. Creating a team is offered on both.
import { useAuth } from '../auth/index.ts';
import { CreateTeamForm, TeamSettings, useWorkspace } from '../teams/index.ts';
import { useBilling } from '../billing/index.ts';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';

export function TeamPage() {
  usePageTitle('Team');
  const { user } = useAuth();
  const { teamId, selected, workspaces, select, loading } = useWorkspace();
  const { credits, reserved } = useBilling();
  const teams = workspaces.filter((workspace) => workspace.kind === 'team');
  const team = teamId !== null && selected?.team_id ? { ...selected, team_id: selected.team_id } : null;

  return (
    <div className="page">
      <header className="page__header">
        <h1>{team ? <>Team · <span className="team-heading-name" data-testid="team-name">{team.name}</span></> : 'Teams'}</h1>
        <p className="muted">A team shares one balance of credits. Owners and admins buy credits and manage members; owners set monthly limits.</p>
      </header>
      {teamId !== null && !team && loading && <LoadingScreen label="Loading the team" />}
      {team && user && <TeamSettings team={team} userId={user.id} walletVersion={`${credits}:${reserved}`} />}
      {!team && teams.length > 0 && (
        <section className="card" aria-labelledby="your-teams-title">
          <h2 id="your-teams-title">Your teams</h2>
          <ul className="team-list">
            {teams.map((workspace) => (
              <li key={workspace.id}>
                <button type="button" className="button button--ghost" onClick={() => select(workspace.team_id)}>
                  <span className="team-heading-name">{workspace.name}</span>
                </button> <span className="muted">({workspace.role})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <CreateTeamForm />
    </div>
  );
}
