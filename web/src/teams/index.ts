// The teams feature's public surface: the workspace selection every page follows, and the team pages.
import './teams.css';
export { WorkspaceProvider } from './WorkspaceProvider.tsx';
export { useWorkspace } from './useWorkspace.ts';
export type { WorkspaceValue } from './WorkspaceContext.ts';
export type { Workspace, Role } from './teamSchemas.ts';
export { WorkspaceSwitcher } from './WorkspaceSwitcher.tsx';
export { WorkspaceNotice } from './WorkspaceNotice.tsx';
export { TeamSettings } from './TeamSettings.tsx';
export { CreateTeamForm } from './CreateTeamForm.tsx';
export { useInvitationPreview } from './useInvitationPreview.ts';
export { acceptInvitation } from './invitationsApi.ts';
export { savePendingInvitation, takePendingInvitation, clearPendingInvitation } from './pendingInvitation.ts';
export type { InvitationPreview } from './invitationSchemas.ts';
export { useMemberNames } from './useMemberNames.ts';
