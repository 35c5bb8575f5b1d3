// Calls for team invitations: invite, list and revoke (owners and admins), preview and accept
// (whoever holds the mailed link). Each returns a Result with a mapped AppError.
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { appError, toAppError } from '../lib/appError.ts';
import { fail, ok, type Result } from '../lib/result.ts';
import {
  acceptedSchema, INVITATION_COLUMNS, invitedSchema, previewSchema,
  type Accepted, type Invitation, type InvitationPreview, type Invited,
} from './invitationSchemas.ts';

export async function inviteMember(client: AppSupabaseClient, teamId: string, email: string, role: 'admin' | 'member'): Promise<Result<Invited>> {
  const { data, error, status } = await client.rpc('invite_member', { team_id: teamId, email, role });
  if (error) return fail(toAppError(error, status));
  const parsed = invitedSchema.safeParse(data);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}

export async function revokeInvitation(client: AppSupabaseClient, invitationId: string): Promise<Result<null>> {
  const { error, status } = await client.rpc('revoke_invitation', { invitation_id: invitationId });
  return error ? fail(toAppError(error, status)) : ok(null);
}

/** The team's open invitations (not accepted, not revoked), newest first; expired ones included, marked by expires_at. */
export async function fetchOpenInvitations(client: AppSupabaseClient, teamId: string): Promise<Result<Invitation[]>> {
  const { data, error, status } = await client.from('team_invitations').select(INVITATION_COLUMNS)
    .eq('team_id', teamId).is('accepted_at', null).is('revoked_at', null).order('created_at', { ascending: false });
  if (error) return fail(toAppError(error, status));
  return ok(data ?? []);
}

export async function previewInvitation(client: AppSupabaseClient, token: string): Promise<Result<InvitationPreview>> {
  const { data, error, status } = await client.rpc('invitation_preview', { token });
  if (error) return fail(toAppError(error, status));
  const parsed = previewSchema.safeParse(data);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}

export async function acceptInvitation(client: AppSupabaseClient, token: string): Promise<Result<Accepted>> {
  const { data, error, status } = await client.rpc('accept_invitation', { token });
  if (error) return fail(toAppError(error, status));
  const parsed = acceptedSchema.safeParse(data);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}
