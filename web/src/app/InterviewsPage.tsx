import { Link, useLocation } from 'react-router-dom';
import { useCallback } from 'react';
import { InterviewRow, useInterviews } from '../interviews/index.ts';
import { useBilling } from '../billing/index.ts';
import { useMemberNames, useWorkspace } from '../teams/index.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { formatCredits } from '../lib/format.ts';
import { usePageTitle } from '../ui/usePageTitle.ts';

function createdNotice(state: unknown): { cost: number } | null {
  if (typeof state !== 'object' || state === null) return null;
  const created = (state as { created?: unknown }).created;
  if (typeof created !== 'object' || created === null) return null;
  const cost = (created as { cost?: unknown }).cost;
  return typeof cost === 'number' ? { cost } : null;
}

export function InterviewsPage() {
  usePageTitle('Interviews');
  const { teamId, selected, role } = useWorkspace();
  const memberNames = useMemberNames(teamId, role);
  const { interviews, loading, error, reload, cancel: cancelInterview } = useInterviews(teamId);
  const { refresh: refreshBilling } = useBilling();
  // A cancellation returns the reserved credits: the billing provider re-reads the balance and history.
  const cancel = useCallback(async (interviewId: string) => {
    const result = await cancelInterview(interviewId);
    void refreshBilling();
    return result;
  }, [cancelInterview, refreshBilling]);
  const location = useLocation();
  const created = createdNotice(location.state);

  return (
    <div className="page">
      <header className="page__header page__header--row">
        <div>
          <h1>Interviews{teamId !== null && selected && <span className="team-heading-name"> · {selected.name}</span>}</h1>
          <p className="muted">A scheduled interview's credits are reserved, not spent: cancel it before the candidate starts it and they come back.</p>
        </div>
        <Link className="button button--primary" to="/interviews/new">New interview</Link>
      </header>
      {created && (
        <p className="alert alert--success" role="status" data-testid="created-notice">
          Interview created: {formatCredits(created.cost)} reserved until it takes place. Cancel it before then and they come back.
        </p>
      )}
      {error && <ErrorMessage error={error} onRetry={() => { void reload(); }} />}
      {loading ? (
        <LoadingScreen label="Loading interviews" />
      ) : interviews.length === 0 ? (
        !error && <p className="card muted">No interviews yet. <Link to="/interviews/new">Create your first one</Link>.</p>
      ) : (
        <ul className="interview-list" aria-label="Your interviews">
          {interviews.map((interview) => (
            <InterviewRow key={interview.id} interview={interview} createdBy={memberNames.get(interview.user_id) ?? null} onCancel={cancel} />
          ))}
        </ul>
      )}
    </div>
  );
}
