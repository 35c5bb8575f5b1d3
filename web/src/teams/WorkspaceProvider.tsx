// The workspaces of whoever is signed in and the one this tab shows. Billing, interviews and the
// team pages all follow `teamId` (null = personal). The list is re-read when the tab comes back
// into view (a team joined or created in another tab), and a team the user left or was removed
// from (the membership event billing's live channel hears) is dropped at once; if this tab showed
// it, it switches to the personal workspace with a notice saying why.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import { fetchWorkspaces } from './teamsApi.ts';
import type { Workspace } from './teamSchemas.ts';
import { WorkspaceContext, type WorkspaceNotice, type WorkspaceValue } from './WorkspaceContext.ts';
import { loadSelectedTeam, saveSelectedTeam } from './selectedWorkspace.ts';

export function WorkspaceProvider({ userId, children }: { userId: string | null; children: ReactNode }) {
  const client = useSupabase();
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<WorkspaceNotice | null>(null);
  // The remembered choice is used before the list arrives, so a reload of a team page asks for
  // the team's numbers at once; the list then confirms it (or takes the tab back to personal).
  const [selection, setSelection] = useState<{ userId: string | null; teamId: string | null }>(
    () => ({ userId, teamId: userId ? loadSelectedTeam(userId) : null }));
  const teamId = selection.userId === userId ? selection.teamId : (userId ? loadSelectedTeam(userId) : null);
  const currentUser = useRef(userId);
  // eslint-disable-next-line react-hooks/refs -- a late answer for a previous user compares against the user rendered last
  currentUser.current = userId;

  const select = useCallback((next: string | null) => {
    if (!userId) return;
    saveSelectedTeam(userId, next);
    setSelection({ userId, teamId: next });
    setNotice(null);
  }, [userId]);

  const reload = useCallback(async () => {
    const forUser = currentUser.current;
    if (!forUser) return;
    const result = await fetchWorkspaces(client);
    if (currentUser.current !== forUser) return;
    if (result.ok) {
      setWorkspaces(result.data);
      setError(null);
      setLoaded(true);
    } else {
      setError(result.error);
    }
  }, [client]);

  useEffect(() => {
    setWorkspaces([]);
    setLoaded(false);
    setError(null);
    setNotice(null);
    setSelection({ userId, teamId: userId ? loadSelectedTeam(userId) : null });
    if (!userId) return;
    void reload();
    const onVisible = () => { if (document.visibilityState === 'visible') void reload(); };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [userId, reload]);

  // The remembered or linked team is not (or no longer) one of the user's: back to personal.
  useEffect(() => {
    if (!loaded || !userId || teamId === null) return;
    if (workspaces.some((workspace) => workspace.team_id === teamId)) return;
    saveSelectedTeam(userId, null);
    setSelection({ userId, teamId: null });
    setNotice((current) => current ?? { kind: 'unavailable', teamName: null });
  }, [loaded, workspaces, teamId, userId]);

  // What the membership event needs to know at the moment it arrives (the name for the notice,
  // whether this tab shows the team), without re-subscribing billing's channel on every change.
  const latest = useRef({ workspaces, teamId, userId });
  useEffect(() => { latest.current = { workspaces, teamId, userId }; });

  const endingOnPurpose = useRef(new Set<string>());
  const endingMembership = useCallback((endingTeamId: string) => {
    endingOnPurpose.current.add(endingTeamId);
    return () => { endingOnPurpose.current.delete(endingTeamId); };
  }, []);

  const membershipEnded = useCallback((endedTeamId: string) => {
    const { workspaces: list, teamId: shown, userId: forUser } = latest.current;
    const onPurpose = endingOnPurpose.current.delete(endedTeamId);
    const teamName = list.find((workspace) => workspace.team_id === endedTeamId)?.name ?? null;
    setWorkspaces((current) => current.filter((workspace) => workspace.team_id !== endedTeamId));
    if (shown === endedTeamId && forUser) {
      saveSelectedTeam(forUser, null);
      setSelection({ userId: forUser, teamId: null });
      if (!onPurpose) setNotice({ kind: 'removed', teamName });
    }
  }, []);

  const dismissNotice = useCallback(() => setNotice(null), []);
  const selected = workspaces.find((workspace) => (teamId === null ? workspace.kind === 'personal' : workspace.team_id === teamId)) ?? null;

  const value = useMemo<WorkspaceValue>(() => ({
    workspaces, teamId, selected, role: teamId === null ? 'owner' : selected?.role ?? null,
    loading: !loaded && userId !== null, error, select, reload, membershipEnded, endingMembership, notice, dismissNotice,
  }), [workspaces, teamId, selected, loaded, userId, error, select, reload, membershipEnded, endingMembership, notice, dismissNotice]);

  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}
