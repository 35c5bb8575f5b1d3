import { Link } from 'react-router-dom';
import { useBilling } from '../billing/index.ts';
import { useAuth } from '../auth/index.ts';
import { formatCredits } from '../lib/format.ts';
import { usePageTitle } from '../ui/usePageTitle.ts';

function countInterviews(count: number): string {
  return `${count} ${new Intl.PluralRules('en-US').select(count) === 'one' ? 'interview' : 'interviews'}`;
}

/** What to do next: buy at zero (creating is impossible), else create; never "your first" once one exists. */
function NextStep({ credits, interviews }: { credits: number | null; interviews: number | null }) {
  if (credits === null || interviews === null) return <p className="muted">…</p>;
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
  const interviews = summary?.interviews_created ?? null;
  return (
    <div className="page">
      <header className="page__header">
        <h1>Dashboard</h1>
        <p className="muted">Signed in as {user?.email}.</p>
      </header>
      <div className="dashboard-grid">
        <section className="card" aria-labelledby="dash-credits">
          <h2 id="dash-credits">Credits</h2>
          <p className="big-number">{credits === null ? '…' : credits}</p>
          <Link to="/billing">Buy credits</Link>
        </section>
        <section className="card" aria-labelledby="dash-interviews">
          <h2 id="dash-interviews">Interviews</h2>
          <p className="big-number" data-testid="interview-count">{interviews ?? '…'}</p>
          <Link to="/interviews">See all interviews</Link>
        </section>
        <section className="card" aria-labelledby="dash-next">
          <h2 id="dash-next">Next step</h2>
          <NextStep credits={credits} interviews={interviews} />
        </section>
      </div>
    </div>
  );
}
