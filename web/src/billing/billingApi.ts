// Every billing call to the server, each returning a Result with a mapped AppError.
// Only BillingProvider and the checkout pages call these; components go through useBilling().
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import { appError, toAppError, toAppErrorFromFunction } from '../lib/appError.ts';
import { fail, ok, type Result } from '../lib/result.ts';
import { newIdempotencyKey } from '../lib/idempotencyKey.ts';
import { LEDGER_COLUMNS, PAYMENT_COLUMNS, type Balance, type LedgerEntry, type Payment, type Plan } from './billingTypes.ts';
import {
  balanceResultSchema, billingSummarySchema, checkoutSessionSchema, creditHistoryPageSchema, lowBalanceAlertSchema,
  type BillingSummary, type CheckoutSession, type CreditHistoryPage,
} from './billingSchemas.ts';

/** Rows per history page: the first page is the 200 newest rows the billing page always showed. */
export const HISTORY_PAGE_SIZE = 200;

/** The wallet a workspace spends from: the recruiter's own (teamId null) or a team's. */
export interface BillingScope {
  userId: string;
  teamId: string | null;
}

export async function fetchBalance(client: AppSupabaseClient, scope: BillingScope): Promise<Result<Balance>> {
  const { data, error, status } = scope.teamId === null
    ? await client.from('users').select('credits, credits_reserved, low_balance_threshold').eq('id', scope.userId).maybeSingle()
    : await client.from('teams').select('credits, credits_reserved, low_balance_threshold').eq('id', scope.teamId).maybeSingle();
  if (error) return fail(toAppError(error, status));
  // No own row: the session no longer names a user. No team row: no longer a member (or deleted).
  if (!data) return fail(appError(scope.teamId === null ? 'session_expired' : 'not_team_member'));
  return ok({ credits: data.credits, reserved: data.credits_reserved, threshold: data.low_balance_threshold });
}

const teamArg = (teamId: string | null) => (teamId === null ? {} : { team_id: teamId });

/**
 * One page of the signed-in user's history, newest first (rpc credit_history): the newest page
 * when beforeId is null, else the rows older than it. Keyset, so a page deep in a long history
 * costs what the first does.
 */
export async function fetchHistoryPage(client: AppSupabaseClient, beforeId: number | null, teamId: string | null = null): Promise<Result<CreditHistoryPage>> {
  const { data, error, status } = await client.rpc('credit_history', {
    ...(beforeId === null ? {} : { before_id: beforeId }), page_size: HISTORY_PAGE_SIZE, ...teamArg(teamId),
  });
  if (error) return fail(toAppError(error, status));
  const parsed = creditHistoryPageSchema.safeParse(data);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}

export async function fetchSummary(client: AppSupabaseClient, teamId: string | null = null): Promise<Result<BillingSummary>> {
  const { data, error, status } = await client.rpc('billing_summary', teamArg(teamId));
  if (error) return fail(toAppError(error, status));
  const parsed = billingSummarySchema.safeParse(data);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}

export async function fetchPlans(client: AppSupabaseClient): Promise<Result<Plan[]>> {
  const { data, error, status } = await client.from('plans').select('*').eq('active', true).order('sort_order');
  if (error) return fail(toAppError(error, status));
  return ok(data ?? []);
}

export async function deductCredits(client: AppSupabaseClient, amount: number, reason: string | null, teamId: string | null = null): Promise<Result<number>> {
  const { data, error, status } = await client.rpc('deduct_credits', {
    amount, ...(reason ? { reason } : {}), idempotency_key: newIdempotencyKey('deduct'), ...teamArg(teamId),
  });
  if (error) return fail(toAppError(error, status));
  const parsed = balanceResultSchema.safeParse(data);
  return parsed.success ? ok(parsed.data.balance) : fail(appError('server'));
}

/** A checkout for the buyer's own wallet, or with teamId for the team's (owners and admins only). */
export async function startCheckout(client: AppSupabaseClient, planId: string, teamId: string | null = null): Promise<Result<CheckoutSession>> {
  const { data, error } = await client.functions.invoke('checkout', { body: { plan_id: planId, ...teamArg(teamId) } });
  if (error) return fail(await toAppErrorFromFunction(error));
  const parsed = checkoutSessionSchema.safeParse(data);
  return parsed.success ? ok(parsed.data) : fail(appError('server'));
}

export async function completeLocalCheckout(client: AppSupabaseClient, sessionId: string): Promise<Result<null>> {
  const { error } = await client.functions.invoke('local-checkout-complete', { body: { session_id: sessionId } });
  if (error) return fail(await toAppErrorFromFunction(error));
  return ok(null);
}

export async function fetchPaymentBySession(client: AppSupabaseClient, sessionId: string): Promise<Result<Payment | null>> {
  const { data, error, status } = await client.from('payments').select(PAYMENT_COLUMNS)
    .eq('provider_session_id', sessionId).maybeSingle();
  if (error) return fail(toAppError(error, status));
  return ok(data);
}

/** The ledger rows an interview caused (its hold, then its capture or release), in the order applied. */
export async function fetchInterviewLedger(client: AppSupabaseClient, interviewId: string): Promise<Result<LedgerEntry[]>> {
  const { data, error, status } = await client.from('credit_ledger').select(LEDGER_COLUMNS)
    .eq('interview_id', interviewId).order('id', { ascending: true });
  if (error) return fail(toAppError(error, status));
  return ok(data ?? []);
}

/**
 * Sets (or with null turns off) the low-balance alert of the personal workspace or, for owners
 * and admins, of a team (rpc set_low_balance_alert); resolves with the threshold now in force.
 */
export async function setLowBalanceAlert(client: AppSupabaseClient, threshold: number | null, teamId: string | null = null): Promise<Result<number | null>> {
  // The generated argument type cannot say "nullable" (SQL arguments have no NOT NULL): null turns it off.
  const { data, error, status } = await client.rpc('set_low_balance_alert', { threshold: threshold as number, ...teamArg(teamId) });
  if (error) return fail(toAppError(error, status));
  const parsed = lowBalanceAlertSchema.safeParse(data);
  return parsed.success ? ok(parsed.data.low_balance_threshold) : fail(appError('server'));
}
