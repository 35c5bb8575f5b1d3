// Everything about one interview: what it is for, its status and what it cost and gave back, and
// when each of that happened.
import type { InterviewDetail } from './interviewTypes.ts';
import { INTERVIEW_TYPE_LABELS, INTERVIEW_TYPES, type InterviewType } from './interviewSchema.ts';
import { formatCredits, formatDateTime } from '../lib/format.ts';
import { interviewCreditExplanation, interviewCreditStatus } from './creditStatus.ts';
import { interviewStatusLabel } from './statusLabel.ts';

function typeLabel(type: string): string {
  return (INTERVIEW_TYPES as readonly string[]).includes(type) ? INTERVIEW_TYPE_LABELS[type as InterviewType] : type;
}

export function InterviewDetailCard({ interview }: { interview: InterviewDetail }) {
  return (
    <section className="card interview-detail" aria-labelledby="interview-detail-title" data-status={interview.status}>
      <h2 id="interview-detail-title" className="interview-detail__title">{interview.job_position}</h2>
      <dl className="stats interview-detail__facts">
        <div><dt>Status</dt><dd><span className={`tag tag--${interview.status}`}>{interviewStatusLabel(interview.status)}</span></dd></div>
        <div><dt>Type</dt><dd>{typeLabel(interview.interview_type)}</dd></div>
        <div><dt>Duration</dt><dd>{interview.duration_minutes} min</dd></div>
        <div><dt>Cost</dt><dd data-testid="interview-cost">{formatCredits(interview.cost)}</dd></div>
        <div>
          <dt>Credits</dt>
          <dd>
            <span data-testid="interview-credit-status">{interviewCreditStatus(interview)}</span>
            <span className="muted interview-detail__explanation">{interviewCreditExplanation(interview)}</span>
          </dd>
        </div>
        <div><dt>Created</dt><dd>{formatDateTime(interview.created_at)}</dd></div>
        {interview.started_at && <div><dt>Started</dt><dd data-testid="interview-started">{formatDateTime(interview.started_at)}</dd></div>}
        {interview.completed_at && <div><dt>Completed</dt><dd>{formatDateTime(interview.completed_at)}</dd></div>}
        {interview.cancelled_at && <div><dt>Cancelled</dt><dd>{formatDateTime(interview.cancelled_at)}</dd></div>}
        {interview.status === 'scheduled' && interview.hold_expires_at && (
          <div><dt>Reserved until</dt><dd data-testid="interview-hold-expires">{formatDateTime(interview.hold_expires_at)}</dd></div>
        )}
      </dl>
      <h3>Job description</h3>
      {interview.job_description
        ? <p className="interview-detail__description">{interview.job_description}</p>
        : <p className="muted">No description was given.</p>}
    </section>
  );
}
