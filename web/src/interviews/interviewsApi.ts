// Calls for the interviews feature: price, create-and-charge, list, cancel-and-refund.
import { z } from 'zod';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { appError, toAppError } from '../lib/appError.ts';
import { fail, ok, type Result } from '../lib/result.ts';
import type { InterviewInput } from './interviewSchema.ts';
import { INTERVIEW_DETAIL_COLUMNS, LISTED_INTERVIEW_COLUMNS, type InterviewDetail, type ListedInterview } from './interviewTypes.ts';

const createdSchema = z.object({ interview_id: z.string(), cost: z.number().int(), balance: z.number().int() });
export type CreatedInterview = z.infer<typeof createdSchema>;

const cancelledSchema = z.object({ interview_id: z.string(), refunded: z.number().int(), balance: z.number().int() });
export type CancelledInterview = z.infer<typeof cancelledSchema>;

export async function fetchInterviewCost(client: AppSupabaseClient, durationMinutes: number, interviewType: string): Promise<Result<number>> {
  const { data, error, status } = await client.rpc('interview_cost', { duration_minutes: durationMinutes, interview_type: interviewType });
  if (error) return fail(toAppError(error, status));
  return typeof data === 'number' ? ok(data) : fail(appError('server'));
}

/** Creates (and reserves the credits of) an interview in the personal workspace, or with teamId in that team's. */
export async function createInterview(
  client: AppSupabaseClient, input: InterviewInput, idempotencyKey: string, teamId: string | null = null,
): Promise<Result<CreatedInterview>> {
  const { data, error, status } = await client.rpc('create_interview', {
    job_position: input.jobPosition,
    job_description: input.jobDescription,
    duration_minutes: input.durationMinutes,
    interview_type: input.interviewType,
    idempotency_key: idempotencyKey,
    ...(teamId === null ? {} : { team_id: teamId }),
  });
  if (error) return fail(toAppError(error, status));
  const parsed = createdSchema.safeParse(data);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}

/** One workspace's interviews: personal ones (teamId null) or a team's (all of them for its admins, one's own for a member: RLS). */
export async function fetchInterviews(client: AppSupabaseClient, teamId: string | null = null): Promise<Result<ListedInterview[]>> {
  const query = client.from('interviews').select(LISTED_INTERVIEW_COLUMNS);
  const { data, error, status } = await (teamId === null ? query.is('team_id', null) : query.eq('team_id', teamId))
    .order('created_at', { ascending: false });
  if (error) return fail(toAppError(error, status));
  return ok(data ?? []);
}

export async function cancelInterview(client: AppSupabaseClient, interviewId: string): Promise<Result<CancelledInterview>> {
  const { data, error, status } = await client.rpc('cancel_interview', { interview_id: interviewId });
  if (error) return fail(toAppError(error, status));
  const parsed = cancelledSchema.safeParse(data);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}

/** One of the user's interviews; null when there is none with this id (RLS hides other users' rows). */
export async function fetchInterview(client: AppSupabaseClient, interviewId: string): Promise<Result<InterviewDetail | null>> {
  const { data, error, status } = await client.from('interviews').select(INTERVIEW_DETAIL_COLUMNS).eq('id', interviewId).maybeSingle();
  if (error) return fail(toAppError(error, status));
  return ok(data);
}
