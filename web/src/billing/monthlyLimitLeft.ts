// What a team member may still hold or spend this month: the smaller of what their own limit and
// the team's limit leave; null when neither applies.
import type { WorkspaceLimits } from './billingSchemas.ts';

export function monthlyLimitLeft(limits: WorkspaceLimits): number | null {
  const left = [limits.member.remaining, limits.team.remaining].filter((n): n is number => n !== null);
  return left.length === 0 ? null : Math.min(...left);
}
