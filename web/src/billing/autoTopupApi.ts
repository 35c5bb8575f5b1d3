// Auto top-up's calls (auto_topup_status, set_auto_topup, disable_auto_topup): each returns a
// Result whose error, for the codes only these calls raise, says in plain words what to change.
import { z } from 'zod';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { appError, toAppError, type AppError } from '../lib/appError.ts';
import { fail, ok, type Result } from '../lib/result.ts';

export const autoTopupStatusSchema = z.object({
  status: z.enum(['on', 'off', 'stopped']),
  threshold: z.number().int().nullable(),
  plan_id: z.string().nullable(),
  plan_name: z.string().nullable(),
  credits: z.number().int().nullable(),
  price_cents: z.number().int().nullable(),
  currency: z.string(),
  monthly_cap_cents: z.number().int().nullable(),
  charged_this_month_cents: z.number().int(),
  stopped_reason: z.enum(['declined', 'authentication_required', 'monthly_cap_reached', 'no_payment_method', 'plan_unavailable']).nullable(),
  stopped_detail: z.string().nullable(),
  stopped_at: z.string().nullable(),
  has_saved_card: z.boolean(),
  in_flight: z.boolean(),
  last_topup_status: z.string().nullable(),
  last_topup_at: z.string().nullable(),
  can_manage: z.boolean(),
});
export type AutoTopupStatus = z.infer<typeof autoTopupStatusSchema>;

export interface AutoTopupChoice {
  threshold: number;
  planId: string;
  monthlyCapCents: number;
}

/** Words for the refusals only auto top-up raises; the rest are the app's usual ones. */
const REFUSALS: Record<string, string> = {
  no_saved_card: 'There is no saved card yet. Buy credits once with a card: that card is saved and used for automatic top-ups.',
  invalid_threshold: 'Enter the number of credits (1 to 10,000) below which a pack is bought.',
  invalid_monthly_cap_cents: 'The monthly limit must cover at least one pack.',
  invalid_plan_id: 'Choose a credit pack.',
  unknown_plan: 'That pack is no longer sold: choose another.',
};

function refusal(error: { message?: string; code?: string }, status: number): AppError {
  const words = error.message ? REFUSALS[error.message] : undefined;
  return words ? appError('invalid_input', { message: words }) : toAppError(error, status);
}

const teamArg = (teamId: string | null) => (teamId === null ? {} : { team_id: teamId });

function parsed(data: unknown): Result<AutoTopupStatus> {
  const result = autoTopupStatusSchema.safeParse(data);
  return result.success ? ok(result.data) : fail(appError('server'));
}

export async function fetchAutoTopup(client: AppSupabaseClient, teamId: string | null): Promise<Result<AutoTopupStatus>> {
  const { data, error, status } = await client.rpc('auto_topup_status', teamArg(teamId));
  return error ? fail(refusal(error, status)) : parsed(data);
}

export async function saveAutoTopup(client: AppSupabaseClient, teamId: string | null, choice: AutoTopupChoice): Promise<Result<AutoTopupStatus>> {
  const { data, error, status } = await client.rpc('set_auto_topup', {
    threshold: choice.threshold, plan_id: choice.planId, monthly_cap_cents: choice.monthlyCapCents, ...teamArg(teamId),
  });
  return error ? fail(refusal(error, status)) : parsed(data);
}

export async function turnOffAutoTopup(client: AppSupabaseClient, teamId: string | null): Promise<Result<AutoTopupStatus>> {
  const { data, error, status } = await client.rpc('disable_auto_topup', teamArg(teamId));
  return error ? fail(refusal(error, status)) : parsed(data);
}
