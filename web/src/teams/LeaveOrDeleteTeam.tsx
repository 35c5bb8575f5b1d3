// Leaving the team (anyone but its last owner) and deleting it (owners; refused while it has
// credits, with the server's reason). Either way this tab goes back to the personal workspace.
import { useSupabase } from '../lib/useSupabase.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { deleteTeam, leaveTeam } from './teamsApi.ts';
import { useTeamAction } from './useTeamAction.ts';
import { useWorkspace } from './useWorkspace.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import type { Role } from './teamSchemas.ts';

export function LeaveOrDeleteTeam({ teamId, teamName, role }: { teamId: string; teamName: string; role: Role }) {
  const client = useSupabase();
  const { select, reload, endingMembership } = useWorkspace();
  const action = useTeamAction();

  async function end(call: () => ReturnType<typeof leaveTeam>) {
    const undo = endingMembership(teamId);
    const result = await action.run(call);
    if (!result.ok) {
      undo();
      return;
    }
    select(null);
    await reload();
  }

  return (
    <section className="card team-danger" aria-labelledby="leave-title">
      <h2 id="leave-title">Leave or delete</h2>
      <div className="button-row">
        <ConfirmButton label="Leave team" confirmLabel="Yes, leave" question={`Leave “${teamName}”?`} busy={action.busy}
          onConfirm={() => { void end(() => leaveTeam(client, teamId)); }} />
        {role === 'owner' && (
          <ConfirmButton label="Delete team" confirmLabel="Yes, delete" question={`Delete “${teamName}” for everyone?`} busy={action.busy} tone="danger"
            onConfirm={() => { void end(() => deleteTeam(client, teamId)); }} />
        )}
      </div>
      {action.error && <ErrorMessage error={action.error} onDismiss={action.clear} />}
    </section>
  );
}
