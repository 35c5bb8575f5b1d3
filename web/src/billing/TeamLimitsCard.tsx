// A team workspace's monthly limits on the billing page: what the signed-in member may still use
// this month under their own limit and the team's, and when the count starts again. Owners and
// admins get a link to everyone's usage (the team page).
import { Link } from 'react-router-dom';
import { formatCredits, formatUtcDay, formatNumber } from '../lib/format.ts';
import type { BillingSummary } from './billingSchemas.ts';

type Limit = { monthly_limit: number | null; used: number; remaining: number | null };

function LimitLine({ label, limit, testId }: { label: string; limit: Limit; testId: string }) {
  return (
    <div data-testid={testId}>
      <dt>{label}</dt>
      <dd className="team-usage">
        {limit.monthly_limit === null
          ? `No limit · ${formatCredits(limit.used)} used`
          : `${formatCredits(limit.remaining ?? 0)} left of ${formatNumber(limit.monthly_limit)} (${formatNumber(limit.used)} used)`}
      </dd>
    </div>
  );
}

export function TeamLimitsCard({ summary }: { summary: BillingSummary }) {
  if (!summary.limits) return null;
  const admin = summary.role === 'owner' || summary.role === 'admin';
  return (
    <section className="card" aria-labelledby="limits-title" data-testid="team-limits">
      <h2 id="limits-title">This month’s limits</h2>
      <dl className="stats">
        <LimitLine label="Your limit" limit={summary.limits.member} testId="member-limit" />
        <LimitLine label="Team limit" limit={summary.limits.team} testId="team-limit" />
      </dl>
      {summary.limits.resets_at && <p className="muted">The counts start again on {formatUtcDay(summary.limits.resets_at)}.</p>}
      {admin && <p><Link to="/team">See every member’s usage this month</Link></p>}
    </section>
  );
}
