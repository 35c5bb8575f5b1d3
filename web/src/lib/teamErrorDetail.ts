// The numbers a team error's detail carries, turned into the sentence the recruiter reads: how
// much of a monthly limit was used and when it resets; how many credits keep a team from deletion.
import { TEAM_ERROR_MESSAGES, type TeamErrorCode } from './teamErrorMessages.ts';
import { formatCredits, formatUtcDay, formatNumber } from './format.ts';

export interface TeamErrorFacts {
  message?: string;
  limit?: number;
  used?: number;
  required?: number;
  resetsAt?: string;
}

export function isTeamErrorCode(value: string): value is TeamErrorCode {
  return Object.prototype.hasOwnProperty.call(TEAM_ERROR_MESSAGES, value);
}

function parseDetail(details: string | undefined): Record<string, unknown> {
  if (!details) return {};
  try {
    const parsed: unknown = JSON.parse(details);
    return typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function teamErrorFacts(code: TeamErrorCode, details: string | undefined): TeamErrorFacts {
  const detail = parseDetail(details);
  if (code === 'member_limit_reached' || code === 'team_limit_reached') {
    const limit = num(detail.limit);
    const used = num(detail.used);
    const required = num(detail.required);
    const resetsAt = typeof detail.resets_at === 'string' ? detail.resets_at : undefined;
    if (limit === undefined || used === undefined || required === undefined) return {};
    const left = Math.max(limit - used, 0);
    const whose = code === 'member_limit_reached'
      ? `you have used ${formatNumber(used)} of your ${formatCredits(limit)}`
      : `the team has used ${formatNumber(used)} of its ${formatCredits(limit)}`;
    const ask = code === 'member_limit_reached' ? 'Ask a team owner to raise your limit.' : 'Ask a team owner to raise the team limit.';
    const message = `This needs ${formatCredits(required)}, and ${whose} this month (${left === 0 ? 'none' : formatCredits(left)} left).`
      + `${resetsAt ? ` It resets on ${formatUtcDay(resetsAt)}.` : ''} ${ask} Nothing was charged.`;
    return { limit, used, required, ...(resetsAt ? { resetsAt } : {}), message };
  }
  if (code === 'team_has_credits') {
    const available = num(detail.available) ?? 0;
    const reserved = num(detail.reserved) ?? 0;
    const parts = [available > 0 || reserved === 0 ? `${formatCredits(available)} available` : '',
      reserved > 0 ? `${formatCredits(reserved)} reserved for scheduled interviews` : ''].filter(Boolean).join(' and ');
    return { message: `It still has ${parts}. ${TEAM_ERROR_MESSAGES.team_has_credits.message}` };
  }
  if (code === 'too_many_invitations' && detail.scope === 'inviter') {
    return { message: 'You sent 50 invitations in the last 24 hours, across all your teams. Try again tomorrow, or ask another admin to send it.' };
  }
  if (code === 'invitation_revoked' && detail.replaced === true) {
    return { message: 'A newer invitation replaced this one: open the link in the latest e-mail from the team.' };
  }
  if (code === 'invitation_wrong_address' && typeof detail.invited === 'string') {
    return { message: `It was sent to ${detail.invited}. Sign out, then sign in (or sign up) with that address and open the link again.` };
  }
  return {};
}
