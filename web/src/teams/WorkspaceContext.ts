import { createContext } from 'react';
import type { AppError } from '../lib/appError.ts';
import type { Workspace } from './teamSchemas.ts';

export interface WorkspaceNotice {
  /** Why the tab left a team: it was removed from it (or the team was deleted), or it no longer appears. */
  kind: 'removed' | 'unavailable';
  teamName: string | null;
}

export interface WorkspaceValue {
  /** Personal first, then each team (my_workspaces()); empty until the first read. */
  workspaces: Workspace[];
  /** The team this tab shows, or null for the personal workspace. */
  teamId: string | null;
  /** The selected workspace's entry, once the list has it. */
  selected: Workspace | null;
  /** The signed-in user's role in the selected team (owner for their personal workspace). */
  role: Workspace['role'] | null;
  loading: boolean;
  error: AppError | null;
  /** Switches this tab to a team (its id) or to the personal workspace (null). */
  select(teamId: string | null): void;
  /** Re-reads the list (after creating, renaming, leaving or deleting a team). */
  reload(): Promise<void>;
  /** The membership event: the user is no longer in this team (drop it; leave it if selected). */
  membershipEnded(teamId: string): void;
  /**
   * Says this tab is about to leave or delete the team itself: its membership event (which may
   * arrive before the call's answer) then switches without "you were removed". Returns the undo,
   * for a call that was refused.
   */
  endingMembership(teamId: string): () => void;
  notice: WorkspaceNotice | null;
  dismissNotice(): void;
}

export const WorkspaceContext = createContext<WorkspaceValue | null>(null);
