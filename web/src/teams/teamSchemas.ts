// Shapes of the JSON the team functions return (supabase/README.md, teams). RPCs are typed `Json`
// by supabase gen types, so results are checked here before use.
import { z } from 'zod';

export const ROLES = ['owner', 'admin', 'member'] as const;
export type Role = (typeof ROLES)[number];
const role = z.enum(ROLES);

/** One entry of my_workspaces(): the personal workspace (team_id null) or a team. */
export const workspaceSchema = z.object({
  id: z.string(),
  kind: z.enum(['personal', 'team']),
  team_id: z.string().nullable().default(null),
  name: z.string(),
  role,
  credits: z.number(),
  reserved: z.number(),
});
export type Workspace = z.infer<typeof workspaceSchema>;
export const workspacesSchema = z.array(workspaceSchema).nullable().transform((list) => list ?? []);

export const createdTeamSchema = z.object({ team_id: z.string(), name: z.string(), role });

/** One row of team_members_usage(): remaining is null where the member has no limit of their own. */
export const memberUsageSchema = z.object({
  user_id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  role,
  monthly_limit: z.number().nullable(),
  used_this_month: z.number(),
  remaining: z.number().nullable(),
});
export type MemberUsage = z.infer<typeof memberUsageSchema>;

export const membersUsageSchema = z.object({
  team_id: z.string(),
  role,
  resets_at: z.string().nullable().default(null),
  members: z.array(memberUsageSchema),
});
export type MembersUsage = z.infer<typeof membersUsageSchema>;
