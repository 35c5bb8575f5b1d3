// The selected team's settings: its name, monthly limit, members and their usage, invitations,
// and leaving or deleting it. What each part offers follows the signed-in user's role.
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { formatNumber } from '../lib/format.ts';
import { useTeamMembers } from './useTeamMembers.ts';
import { MembersTable } from './MembersTable.tsx';
import { RenameTeamForm } from './RenameTeamForm.tsx';
import { TeamLimitForm } from './TeamLimitForm.tsx';
import { LeaveOrDeleteTeam } from './LeaveOrDeleteTeam.tsx';
import { TeamInvitations } from './TeamInvitations.tsx';
import type { Workspace } from './teamSchemas.ts';

interface Props {
  team: Workspace & { team_id: string };
  userId: string;
  /** Changes whenever the team's live balance does (app/ passes billing's), so usage follows spends. */
  walletVersion: string;
}

export function TeamSettings({ team, userId, walletVersion }: Props) {
  const { usage, teamLimit, error, reload } = useTeamMembers(team.team_id, walletVersion);
  const admin = team.role === 'owner' || team.role === 'admin';
  return (
    <>
      {error && <ErrorMessage error={error} onRetry={() => { void reload(); }} />}
      <section className="card" aria-labelledby="team-settings-title">
        <h2 id="team-settings-title">Settings</h2>
        <p className="muted">Your role: <strong data-testid="my-role">{team.role}</strong></p>
        <div className="team-settings__forms">
        {admin && <RenameTeamForm key={team.team_id} teamId={team.team_id} name={team.name} />}
        {team.role === 'owner' ? (
          <TeamLimitForm key={`${team.team_id}:${teamLimit}`} teamId={team.team_id} limit={teamLimit} onChanged={reload} />
        ) : (
          <p data-testid="team-limit-text">Team monthly limit: {teamLimit === null ? 'none' : `${formatNumber(teamLimit)} credits`}</p>
        )}
        </div>
      </section>
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">{admin ? 'Members and their usage this month' : 'Your usage this month'}</h2>
        {usage ? <MembersTable teamId={team.team_id} usage={usage} userId={userId} onChanged={reload} />
          : !error && <LoadingScreen label="Loading members" />}
      </section>
      {admin && <TeamInvitations teamId={team.team_id} />}
      <LeaveOrDeleteTeam teamId={team.team_id} teamName={team.name} role={team.role} />
    </>
  );
}
