import { Link } from 'react-router-dom';
import { useBilling } from '../billing/index.ts';
import { useAuth } from '../auth/index.ts';
import { formatCredits } from '../lib/format.ts';
import { usePageTitle } from '../ui/usePageTitle.ts';

export function DashboardPage() {
  usePageTitle('Dashboard');
  const { user } = useAuth();
  const { credits, summary } = useBilling();
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
          <p className="big-number">{summary?.interviews_created ?? '…'}</p>
          <Link to="/interviews">See all interviews</Link>
        </section>
        <section className="card" aria-labelledby="dash-next">
          <h2 id="dash-next">Next step</h2>
          <p>{credits !== null && credits > 0
            ? `You have ${formatCredits(credits)}: enough to schedule an interview.`
            : 'Add credits, then create your first AI interview.'}</p>
          <Link className="button button--primary" to="/interviews/new">Create interview</Link>
        </section>
      </div>
    </div>
  );
}
