import type { Tables } from '../lib/database.types.ts';

export type Interview = Pick<Tables<'interviews'>,
  'id' | 'job_position' | 'job_description' | 'duration_minutes' | 'interview_type' | 'status' | 'cost' | 'refunded_credits'
  | 'created_at' | 'cancelled_at' | 'hold_expires_at' | 'cancellation_reason' | 'started_at'>;

export const INTERVIEW_COLUMNS = 'id, job_position, job_description, duration_minutes, interview_type, status, cost, refunded_credits, created_at, cancelled_at, hold_expires_at, cancellation_reason, started_at';

/** One interview with everything its detail page shows. */
export type InterviewDetail = Interview & Pick<Tables<'interviews'>, 'completed_at'>;

export const INTERVIEW_DETAIL_COLUMNS = `${INTERVIEW_COLUMNS}, completed_at`;
