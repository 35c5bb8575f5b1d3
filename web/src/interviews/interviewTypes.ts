import type { Tables } from '../lib/database.types.ts';

export type Interview = Pick<Tables<'interviews'>,
  'id' | 'job_position' | 'job_description' | 'duration_minutes' | 'interview_type' | 'status' | 'cost' | 'refunded_credits' | 'created_at' | 'cancelled_at'>;

export const INTERVIEW_COLUMNS = 'id, job_position, job_description, duration_minutes, interview_type, status, cost, refunded_credits, created_at, cancelled_at';
