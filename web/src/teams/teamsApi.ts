// Every call for managing teams and reading the workspace list, each returning a Result with a
// mapped AppError. Only the teams feature's hooks and pages call these.
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { appError, toAppError } from '../lib/appError.ts';
import { fail, ok, type Result } from '../lib/result.ts';
import {
  createdTeamSchema, membersUsageSchema, workspacesSchema, type MembersUsage, type Role, type Workspace,
} from './teamSchemas.ts';
import type { z } from 'zod';

type Answer = { data: unknown; error: unknown; status: number };

function parsed<T>(answer: Answer, schema: z.ZodType<T>): Result<T> {
  if (answer.error) return fail(toAppError(answer.error, answer.status));
  const result = schema.safeParse(answer.data);
  return result.success ? ok(result.data) : fail(appError('server'));
}

function done(answer: Answer): Result<null> {
  return answer.error ? fail(toAppError(answer.error, answer.status)) : ok(null);
}

export async function fetchWorkspaces(client: AppSupabaseClient): Promise<Result<Workspace[]>> {
  return parsed(await client.rpc('my_workspaces'), workspacesSchema);
}

export async function createTeam(client: AppSupabaseClient, name: string): Promise<Result<{ team_id: string; name: string }>> {
  return parsed(await client.rpc('create_team', { name }), createdTeamSchema);
}

export async function renameTeam(client: AppSupabaseClient, teamId: string, name: string): Promise<Result<null>> {
  return done(await client.rpc('rename_team', { team_id: teamId, name }));
}

export async function deleteTeam(client: AppSupabaseClient, teamId: string): Promise<Result<null>> {
  return done(await client.rpc('delete_team', { team_id: teamId }));
}

export async function leaveTeam(client: AppSupabaseClient, teamId: string): Promise<Result<null>> {
  return done(await client.rpc('leave_team', { team_id: teamId }));
}

export async function setMemberRole(client: AppSupabaseClient, teamId: string, userId: string, role: Role): Promise<Result<null>> {
  return done(await client.rpc('set_member_role', { team_id: teamId, user_id: userId, role }));
}

export async function removeMember(client: AppSupabaseClient, teamId: string, userId: string): Promise<Result<null>> {
  return done(await client.rpc('remove_member', { team_id: teamId, user_id: userId }));
}

// The generated Args say number, but the functions take null for "no limit".
export async function setMemberLimit(client: AppSupabaseClient, teamId: string, userId: string, limit: number | null): Promise<Result<null>> {
  return done(await client.rpc('set_member_limit', { team_id: teamId, user_id: userId, monthly_limit: limit as number }));
}

export async function setTeamLimit(client: AppSupabaseClient, teamId: string, limit: number | null): Promise<Result<null>> {
  return done(await client.rpc('set_team_limit', { team_id: teamId, monthly_limit: limit as number }));
}

export async function fetchMembersUsage(client: AppSupabaseClient, teamId: string): Promise<Result<MembersUsage>> {
  return parsed(await client.rpc('team_members_usage', { team_id: teamId }), membersUsageSchema);
}

/** The team's own monthly limit (null: none), read from its row (members can read their teams). */
export async function fetchTeamLimit(client: AppSupabaseClient, teamId: string): Promise<Result<number | null>> {
  const { data, error, status } = await client.from('teams').select('monthly_limit').eq('id', teamId).maybeSingle();
  if (error) return fail(toAppError(error, status));
  if (!data) return fail(appError('not_team_member'));
  return ok(data.monthly_limit);
}
