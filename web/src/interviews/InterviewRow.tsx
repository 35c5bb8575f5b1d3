// One interview in the list, with what it did with its credits (reserved, spent, returned) and
// cancel-and-return while it is still scheduled (not once the candidate has started it).
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Interview } from './interviewTypes.ts';
import { INTERVIEW_TYPE_LABELS, INTERVIEW_TYPES, type InterviewType } from './interviewSchema.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { ClampedText } from '../ui/ClampedText.tsx';
import { formatCredits, formatDateTime } from '../lib/format.ts';
import { interviewCreditExplanation, interviewCreditStatus } from './creditStatus.ts';
import { interviewStatusLabel } from './statusLabel.ts';
import type { AppError } from '../lib/appError.ts';
import type { Result } from '../lib/result.ts';

interface Props {
  interview: Interview;
  /** In a team, for its owners and admins: who created it (name or e-mail). */
  createdBy?: string | null;
  onCancel(interviewId: string): Promise<Result<unknown>>;
}

function typeLabel(type: string): string {
  return (INTERVIEW_TYPES as readonly string[]).includes(type) ? INTERVIEW_TYPE_LABELS[type as InterviewType] : type;
}

type FocusTarget = 'keep' | 'cancel' | 'status';

export function InterviewRow({ interview, createdBy = null, onCancel }: Props) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  // Each step unmounts the button that has focus; without a new target focus falls to <body> and
  // a keyboard user starts over from the top of the page.
  const [focusTarget, setFocusTarget] = useState<FocusTarget | null>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const statusRef = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    if (!focusTarget) return;
    const element = focusTarget === 'keep' ? keepRef.current : focusTarget === 'cancel' ? cancelRef.current : statusRef.current;
    (element ?? statusRef.current)?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  return (
    <li className="interview-row" data-interview-id={interview.id} data-status={interview.status}>
      <div className="interview-row__main">
        {/* The link is the tab stop: the title inside it unclamps when the link has focus or hover. */}
        <h3 className="interview-row__title"><Link to={`/interviews/${interview.id}`}><ClampedText text={interview.job_position} lines={2} focusable={false} /></Link></h3>
        <p className="muted">
          {typeLabel(interview.interview_type)} · {interview.duration_minutes} min · created {formatDateTime(interview.created_at)}{createdBy && <> by <span className="interview-row__creator" data-testid="interview-creator">{createdBy}</span></>}
        </p>
      </div>
      <div className="interview-row__side">
        <span ref={statusRef} tabIndex={-1} className={`tag tag--${interview.status}`}>{interviewStatusLabel(interview.status)}</span>
        <span className="muted interview-row__credits" data-testid="interview-credit-status" title={interviewCreditExplanation(interview)}>
          {interviewCreditStatus(interview)}
        </span>
        {interview.status === 'scheduled' && !confirming && (
          <button
            ref={cancelRef} type="button" className="button button--danger"
            aria-label={`Cancel interview for ${interview.job_position} and get its ${formatCredits(interview.cost)} back`}
            onClick={() => { setConfirming(true); setFocusTarget('keep'); }}
          >
            Cancel and return credits
          </button>
        )}
        {interview.status === 'scheduled' && confirming && (
          <div className="confirm" role="group" aria-label="Confirm cancellation">
            <span>Cancel it and get {formatCredits(interview.cost)} back?</span>
            <button
              type="button" className="button button--danger" disabled={busy}
              onClick={async () => {
                setBusy(true);
                setError(null);
                const result = await onCancel(interview.id);
                if (!result.ok) setError(result.error);
                setBusy(false);
                setConfirming(false);
                // Done: the status (now "cancelled") has focus; failed: the button to try again.
                setFocusTarget(result.ok ? 'status' : 'cancel');
              }}
            >
              {busy ? 'Cancelling…' : 'Yes, cancel it'}
            </button>
            <button
              ref={keepRef} type="button" className="button button--ghost" disabled={busy}
              onClick={() => { setConfirming(false); setFocusTarget('cancel'); }}
            >
              Keep
            </button>
          </div>
        )}
      </div>
      {error && <div className="interview-row__error"><ErrorMessage error={error} /></div>}
    </li>
  );
}
