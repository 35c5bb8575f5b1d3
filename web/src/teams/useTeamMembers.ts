// The team page's data: its members with their usage this month (team_members_usage: everyone
// for owners and admins, a member only themselves) and the team's own monthly limit. Re-read when
// `walletVersion` changes (the team's live balance moved: someone held, spent or got credits back,
// which moves the usage) and when the tab comes back into view (someone joined meanwhile).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import { fetchMembersUsage, fetchTeamLimit } from './teamsApi.ts';
import type { MembersUsage } from './teamSchemas.ts';

export interface TeamMembersState {
  usage: MembersUsage | null;
  teamLimit: number | null;
  error: AppError | null;
  reload(): Promise<void>;
}

export function useTeamMembers(teamId: string, walletVersion: string): TeamMembersState {
  const client = useSupabase();
  const [usage, setUsage] = useState<MembersUsage | null>(null);
  const [teamLimit, setTeamLimit] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const read = ++latest.current;
    const [members, limit] = await Promise.all([fetchMembersUsage(client, teamId), fetchTeamLimit(client, teamId)]);
    if (read !== latest.current) return;
    if (members.ok) setUsage(members.data);
    if (limit.ok) setTeamLimit(limit.data);
    setError(members.ok ? (limit.ok ? null : limit.error) : members.error);
  }, [client, teamId]);

  useEffect(() => { void reload(); }, [reload, walletVersion]);
  useEffect(() => {
    const onVisible = () => { if (document.visibilityState === 'visible') void reload(); };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [reload]);
  return { usage, teamLimit, error, reload };
}
