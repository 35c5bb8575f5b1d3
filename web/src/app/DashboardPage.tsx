import { Link } from 'react-router-dom';
import { useBilling } from '../billing/index.ts';
import { useAuth } from '../auth/index.ts';
import { useWorkspace } from '../teams/index.ts';
import { formatCredits } from '../lib/format.ts';
import { usePageTitle } from '../ui/usePageTitle.ts';

function countInterviews(count: number): string {
  return `${count} ${new Intl.PluralRules('en-US').select(count) === 'one' ? 'interview' : 'interviews'}`;
}

/**
 * What to do next: buy at zero (creating is impossible), else create; never "your first" once one
 * exists. A team's members cannot buy for it: they are told to ask an admin.
 */
function NextStep({ credits, interviews, canBuy }: { credits: number | null; interviews: number | null; canBuy: boolean }) {
  if (credits === null || interviews === null) return <p className="muted">…</p>;
  if (credits === 0 && !canBuy) {
    return <p data-testid="next-step">The team has no credits left. Ask an owner or admin of the team to add some.</p>;
  }
  if (credits === 0) {
    return (
      <>
        <p data-testid="next-step">{interviews === 0
          ? 'You have no credits yet. Buy a pack, then create your first AI interview.'
          : `You have no credits left. Buy more to create another interview (you have made ${countInterviews(interviews)}).`}</p>
        <div className="button-row">
          <Link className="button button--primary" to="/billing">Buy credits</Link>
          <Link className="button button--ghost" to="/interviews">See your interviews</Link>
        </div>
      </>
    );
  }
  return (
    <>
      <p data-testid="next-step">{interviews === 0
        ? `You have ${formatCredits(credits)}: create your first AI interview.`
        : `You have ${formatCredits(credits)} and have made ${countInterviews(interviews)}: schedule the next one.`}</p>
      <Link className="button button--primary" to="/interviews/new">Create interview</Link>
    </>
  );
}

export function DashboardPage() {
  usePageTitle('Dashboard');
  const { user } = useAuth();
  const { credits, summary } = useBilling();
  const { teamId, selected } = useWorkspace();
  const interviews = summary?.interviews_created ?? null;
  const canBuy = teamId === null || summary?.role === 'owner' || summary?.role === 'admin';
  return (
    <div className="page">
      <header className="page__header">
        <h1>Dashboard</h1>
        <p className="muted">
          Signed in as {user?.email}.{teamId !== null && selected && <> Workspace: <strong className="team-heading-name">{selected.name}</strong>.</>}
        </p>
      </header>
      <div className="dashboard-grid">
        <section className="card" aria-labelledby="dash-credits">
          <h2 id="dash-credits">Credits</h2>
          <p className="big-number">{credits === null ? '…' : credits}</p>
          <Link to="/billing">{canBuy ? 'Buy credits' : 'Billing and your limit'}</Link>
        </section>
        <section className="card" aria-labelledby="dash-interviews">
          <h2 id="dash-interviews">Interviews</h2>
          <p className="big-number" data-testid="interview-count">{interviews ?? '…'}</p>
          <Link to="/interviews">See all interviews</Link>
        </section>
        <section className="card" aria-labelledby="dash-next">
          <h2 id="dash-next">Next step</h2>
          <NextStep credits={credits} interviews={interviews} canBuy={canBuy} />
        </section>
      </div>
    </div>
  );
}
