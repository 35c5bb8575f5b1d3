// Shapes of the invitation functions' answers and of the rows admins read (supabase/README.md,
// Team invitations).
import { z } from 'zod';

export const invitedSchema = z.object({ invitation_id: z.string(), email: z.string(), role: z.string(), expires_at: z.string() });
export type Invited = z.infer<typeof invitedSchema>;

export const acceptedSchema = z.object({ team_id: z.string(), team_name: z.string().nullable().default(null), role: z.string() });
export type Accepted = z.infer<typeof acceptedSchema>;

/** What the accept page may show to whoever holds the link (invitation_preview). */
export const previewSchema = z.object({
  team_name: z.string(),
  invited_by: z.string().nullable().default(null),
  role: z.string(),
  expires_at: z.string().nullable().default(null),
  status: z.enum(['open', 'expired', 'used', 'revoked']),
  signed_in: z.boolean().default(false),
  for_you: z.boolean().nullable().default(null),
  email: z.string().nullable().default(null),
  already_member: z.boolean().default(false),
});
export type InvitationPreview = z.infer<typeof previewSchema>;

export const INVITATION_COLUMNS = 'id, email, role, created_at, expires_at, accepted_at, revoked_at';
export interface Invitation {
  id: string;
  email: string;
  role: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}
