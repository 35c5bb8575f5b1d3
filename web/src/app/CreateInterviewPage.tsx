// Create an interview and pay for it in one server call. One idempotency key per submission of
// the same values: a double click or a retry after a dropped connection can't charge twice.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useSupabase } from '../lib/useSupabase.ts';
import { useBilling } from '../billing/index.ts';
import { useAuth } from '../auth/index.ts';
import { useWorkspace } from '../teams/index.ts';
import { billingLinkReturningTo } from '../lib/returnPath.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { newIdempotencyKey } from '../lib/idempotencyKey.ts';
import { formatCredits } from '../lib/format.ts';
import type { AppError } from '../lib/appError.ts';
import {
  clearDraft, createInterview, InterviewCostNotice, InterviewForm, loadDraft, saveDraft, useInterviewCost, validateInterview,
  type InterviewFieldErrors, type InterviewFormValues,
} from '../interviews/index.ts';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { MonthlyLimitNotice } from './MonthlyLimitNotice.tsx';

const INITIAL_VALUES: InterviewFormValues = { jobPosition: '', jobDescription: '', durationMinutes: 30, interviewType: 'technical' };
/** Buying credits leaves for the payment page; the draft is saved and this link brings the user back to it. */
const BUY_AND_RETURN = billingLinkReturningTo('/interviews/new');

export function CreateInterviewPage() {
  usePageTitle('Create interview');
  const client = useSupabase();
  const navigate = useNavigate();
  // The selected workspace's wallet (and, in a team, what the member's monthly limits leave).
  const { credits, refresh, teamId, limitLeft } = useBilling();
  const { user } = useAuth();
  const { selected } = useWorkspace();
  const userId = user?.id ?? null;
  const [values, setValues] = useState(() => (userId && loadDraft(userId)) || INITIAL_VALUES);
  const [fieldErrors, setFieldErrors] = useState<InterviewFieldErrors>({});
  const [error, setError] = useState<AppError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const inFlight = useRef(false);
  const submissionKey = useRef<string | null>(null);
  const cost = useInterviewCost(values.durationMinutes, values.interviewType);
  // In a team, an owner may have changed this member's limit since the summary was read (no
  // balance moved, so nothing live said so): read it again when the form opens.
  useEffect(() => { if (teamId !== null) void refresh(); }, [teamId, refresh]);

  const change = (next: InterviewFormValues) => {
    // Different values are a different request, so they get a new key on the next submit.
    submissionKey.current = null;
    // A field's message is about the value it had: drop it once that field changes.
    setFieldErrors((errors) => Object.fromEntries(Object.entries(errors)
      .filter(([field]) => next[field as keyof InterviewFormValues] === values[field as keyof InterviewFormValues])));
    setValues(next);
    if (userId) saveDraft(userId, next);
  };
  // Known to be short before submitting: creating would only fail, so the way forward is buying.
  const shortBy = cost.state === 'ready' && credits !== null && credits < cost.cost ? cost.cost - credits : 0;
  // In a team, a monthly limit may stop it even with credits in the wallet: buying would not help.
  const overLimit = shortBy === 0 && cost.state === 'ready' && limitLeft !== null && limitLeft < cost.cost;

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    const validation = validateInterview(values);
    if (!validation.ok) {
      setFieldErrors(validation.errors);
      return;
    }
    setFieldErrors({});
    setError(null);
    inFlight.current = true;
    setSubmitting(true);
    submissionKey.current ??= newIdempotencyKey('create-interview');
    const result = await createInterview(client, validation.data, submissionKey.current, teamId);
    inFlight.current = false;
    setSubmitting(false);
    if (!result.ok) {
      setError(result.error);
      if (['insufficient_credits', 'member_limit_reached', 'team_limit_reached'].includes(result.error.code)) void refresh();
      return;
    }
    submissionKey.current = null;
    if (userId) clearDraft(userId);
    void refresh();
    navigate('/interviews', { state: { created: { id: result.data.interview_id, cost: result.data.cost } } });
  }

  return (
    <div className="page page--narrow">
      <header className="page__header">
        <h1>Create interview</h1>
        <p className="muted">Describe the role; the AI interviewer prepares questions for it.</p>
        {/* Which wallet pays: creating in the wrong workspace would spend the wrong credits. */}
        {teamId !== null && selected && (
          <p data-testid="create-workspace">Paid from the team <strong className="team-heading-name">{selected.name}</strong>.</p>
        )}
      </header>
      <form className="card form" onSubmit={handleSubmit} noValidate aria-label="Create interview">
        <InterviewForm values={values} errors={fieldErrors} onChange={change} />
        <InterviewCostNotice cost={cost} credits={credits} />
        <MonthlyLimitNotice limitLeft={limitLeft} overLimit={overLimit} />
        {error && (error.code === 'insufficient_credits' ? (
          <div className="alert alert--error" role="alert" data-error-code={error.code}>
            <p className="alert__title">{error.title}</p>
            <p className="alert__message">
              {error.required !== undefined && error.balance !== undefined
                ? `This interview costs ${formatCredits(error.required)} and you have ${formatCredits(error.balance)}. `
                : ''}
              Nothing was created and no credits were reserved.
            </p>
            <Link className="button button--primary" to={BUY_AND_RETURN}>Buy credits</Link>
          </div>
        ) : (
          <ErrorMessage error={error} />
        ))}
        {shortBy > 0 && (
          <div className="alert alert--info" data-testid="short-of-credits">
            <p className="alert__message" id="create-disabled-reason">
              You need {formatCredits(shortBy)} more to create this interview. Your draft is kept while you buy them.
            </p>
            <Link className="button button--primary" to={BUY_AND_RETURN}>Buy credits</Link>
          </div>
        )}
        <div className="button-row">
          <button
            type="submit" className="button button--primary" disabled={submitting || shortBy > 0 || overLimit}
            aria-describedby={shortBy > 0 ? 'create-disabled-reason' : overLimit ? 'limit-disabled-reason' : undefined}
          >
            {submitting ? 'Creating…' : cost.state === 'ready' ? `Create interview (${formatCredits(cost.cost)})` : 'Create interview'}
          </button>
          <Link className="button button--ghost" to="/interviews">Cancel</Link>
        </div>
      </form>
    </div>
  );
}
