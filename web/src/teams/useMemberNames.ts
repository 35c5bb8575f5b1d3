// A team's members by id (name, else e-mail) for its owners and admins, so a team's history can say
// who made each change; empty for the personal workspace and for members (their rows are their own).
import { useEffect, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import { fetchMembersUsage } from './teamsApi.ts';
import type { Role } from './teamSchemas.ts';

const NONE: ReadonlyMap<string, string> = new Map();

export function useMemberNames(teamId: string | null, role: Role | null): ReadonlyMap<string, string> {
  const client = useSupabase();
  const [names, setNames] = useState<{ teamId: string; names: ReadonlyMap<string, string> } | null>(null);
  const admin = role === 'owner' || role === 'admin';
  useEffect(() => {
    if (teamId === null || !admin) return;
    let active = true;
    void fetchMembersUsage(client, teamId).then((result) => {
      if (!active || !result.ok) return;
      setNames({ teamId, names: new Map(result.data.members.map((member) => [member.user_id, member.name || member.email || 'a former member'])) });
    });
    return () => { active = false; };
  }, [client, teamId, admin]);
  return names && names.teamId === teamId && admin ? names.names : NONE;
}
