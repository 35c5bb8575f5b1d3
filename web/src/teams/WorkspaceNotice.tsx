// Says why this tab left a team it was showing: the user was removed (or the team deleted), or a
// remembered or linked team is not one of theirs. Shown above every page until dismissed.
import { useWorkspace } from './useWorkspace.ts';

export function WorkspaceNotice() {
  const { notice, dismissNotice } = useWorkspace();
  if (!notice) return null;
  const team = notice.teamName ? `“${notice.teamName}”` : 'that team';
  return (
    <div className="alert alert--notice" role="alert" data-testid="workspace-notice" data-kind={notice.kind}>
      <p className="alert__title">
        {notice.kind === 'removed' ? `You are no longer a member of ${team}` : 'That team is not one of your workspaces'}
      </p>
      <p className="alert__message">
        {notice.kind === 'removed'
          ? 'You were removed from the team, or it was deleted. This tab now shows your personal workspace.'
          : 'You may have left it or been removed. This tab now shows your personal workspace.'}
      </p>
      <button type="button" className="button button--ghost" onClick={dismissNotice}>Dismiss</button>
    </div>
  );
}
