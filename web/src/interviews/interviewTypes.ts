import type { Tables } from '../lib/database.types.ts';

export type Interview = Pick<Tables<'interviews'>,
  'id' | 'job_position' | 'job_description' | 'duration_minutes' | 'interview_type' | 'status' | 'cost' | 'refunded_credits'
  | 'created_at' | 'cancelled_at' | 'hold_expires_at' | 'cancellation_reason' | 'started_at'>;

export const INTERVIEW_COLUMNS = 'id, job_position, job_description, duration_minutes, interview_type, status, cost, refunded_credits, created_at, cancelled_at, hold_expires_at, cancellation_reason, started_at';

/** One interview with everything its detail page shows. */
export type InterviewDetail = Interview & Pick<Tables<'interviews'>, 'completed_at'>;

export const INTERVIEW_DETAIL_COLUMNS = `${INTERVIEW_COLUMNS}, completed_at`;

/** An interview of the list, with its creator (a team's admins see every member's interviews). */
export type ListedInterview = Interview & Pick<Tables<'interviews'>, 'user_id'>;

export const LISTED_INTERVIEW_COLUMNS = `${INTERVIEW_COLUMNS}, user_id`;
