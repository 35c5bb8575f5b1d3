// Plain words for the team workspaces' stable error codes (supabase/README.md, teams). Kept apart
// from errorMessages.ts so the team words sit together; errorMessages.ts merges them in.
import type { ErrorText } from './errorMessages.ts';

export const TEAM_ERROR_MESSAGES = {
  not_team_member: {
    title: 'You are not a member of this team',
    message: 'You may have been removed, or the team was deleted. Switch to another workspace; an admin of the team can invite you again.',
  },
  not_team_admin: {
    title: 'Only a team owner or admin can do this',
    message: 'Ask an owner or admin of the team to do it for you.',
  },
  not_team_owner: {
    title: 'Only a team owner can do this',
    message: 'Ask an owner of the team to do it, or to make you an owner.',
  },
  member_limit_reached: {
    title: 'Your monthly limit in this team is used up',
    message: 'This would go past the credits you may use in this team this month. Ask a team owner to raise your limit. Nothing was charged.',
  },
  team_limit_reached: {
    title: 'The team’s monthly limit is used up',
    message: 'This would go past the credits the whole team may use this month. Ask a team owner to raise the team limit. Nothing was charged.',
  },
  last_owner: {
    title: 'A team needs an owner',
    message: 'Make another member an owner first, or delete the team.',
  },
  team_has_credits: {
    title: 'The team still has credits',
    message: 'A team can be deleted only once its credits are used up (including credits reserved for scheduled interviews).',
  },
  // delete_team while an automatic top-up of the team is being charged (it settles within a minute).
  team_topup_in_flight: {
    title: 'A top-up is being charged',
    message: 'An automatic top-up of this team is being charged right now. Try deleting the team again in a minute.',
  },
  already_member: {
    title: 'Already a member',
    message: 'This person already belongs to the team.',
  },
  team_full: {
    title: 'The team is full',
    message: 'It has as many members as it may. Remove someone, or ask support to raise the limit.',
  },
  invitation_expired: {
    title: 'This invitation has expired',
    message: 'Invitations are valid for 7 days. Ask the team’s admin to send you a new one.',
  },
  invitation_used: {
    title: 'This invitation was already used',
    message: 'Each invitation works once. If it was you, the team is already in your workspace switcher.',
  },
  invitation_revoked: {
    title: 'This invitation was withdrawn',
    message: 'An admin of the team revoked it. Ask them to invite you again if that was a mistake.',
  },
  invitation_wrong_address: {
    title: 'This invitation is for another e-mail address',
    message: 'Sign out, then sign in (or sign up) with the address the invitation was sent to, and open the link again.',
  },
  unknown_invitation: {
    title: 'This invitation link does not work',
    message: 'Check that you opened the whole link from the e-mail, or ask the team’s admin for a new invitation.',
  },
  too_many_teams: {
    title: 'You own as many teams as you may',
    message: 'Delete a team you no longer use before creating another.',
  },
  invalid_name: {
    title: 'That team name can’t be used',
    message: 'A team name needs 1 to 100 characters, at least one of them visible.',
  },
  invalid_email: {
    title: 'That e-mail address is not valid',
    message: 'Check the address and try again.',
  },
  invalid_monthly_limit: {
    title: 'That limit can’t be used',
    message: 'Enter a whole number of credits from 0 to 100,000,000, or leave it empty for no limit.',
  },
  too_many_invitations: {
    title: 'Too many invitations today',
    message: 'A team may send 50 invitations in 24 hours. Try again tomorrow.',
  },
  invalid_role: {
    title: 'That role does not exist',
    message: 'Choose owner, admin or member.',
  },
  unknown_member: {
    title: 'That member is no longer in the team',
    message: 'Someone may have removed them already. The list has been reloaded.',
  },
} as const satisfies Record<string, ErrorText>;

export type TeamErrorCode = keyof typeof TEAM_ERROR_MESSAGES;
