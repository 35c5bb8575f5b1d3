// /interviews/:id: one interview and the credit rows it caused. A malformed id, a missing one and
// another user's all read "not found", with the way back to the list.
import { Link, useParams } from 'react-router-dom';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { InterviewDetailCard, useInterview } from '../interviews/index.ts';
import { LedgerHistory, useInterviewLedger } from '../billing/index.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';

export function InterviewDetailPage() {
  const { id } = useParams();
  const { interview, reload } = useInterview(id);
  const ready = interview.state === 'ready' ? interview.interview : null;
  usePageTitle(ready ? `Interview: ${ready.job_position}` : interview.state === 'not_found' ? 'Interview not found' : 'Interview');
  // Re-read the rows when the interview changes (e.g. a cancellation added its refund).
  const ledger = useInterviewLedger(ready?.id ?? null, ready?.status);

  return (
    <div className="page">
      <header className="page__header">
        <p><Link to="/interviews">← All interviews</Link></p>
        <h1>Interview</h1>
      </header>
      {interview.state === 'loading' && <LoadingScreen label="Loading the interview" />}
      {interview.state === 'error' && <ErrorMessage error={interview.error} onRetry={() => { void reload(); }} />}
      {interview.state === 'not_found' && (
        <div className="card" data-testid="interview-not-found">
          <h2>Interview not found</h2>
          <p>There is no interview at this address in your account. It may have been mistyped.</p>
          <Link className="button button--primary" to="/interviews">Back to your interviews</Link>
        </div>
      )}
      {ready && (
        <>
          <InterviewDetailCard interview={ready} />
          <section className="card" aria-labelledby="interview-ledger-title">
            <h2 id="interview-ledger-title">Credits</h2>
            <p className="muted">Every change this interview made to your balance.</p>
            {ledger.error && <ErrorMessage error={ledger.error} />}
            {ledger.entries && <LedgerHistory entries={ledger.entries} />}
          </section>
        </>
      )}
    </div>
  );
}
