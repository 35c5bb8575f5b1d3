import type { Tables } from '../lib/database.types.ts';

export type Plan = Tables<'plans'>;
export type Payment = Pick<Tables<'payments'>,
  'id' | 'team_id' | 'plan_id' | 'provider' | 'provider_session_id' | 'credits' | 'amount_cents' | 'currency' | 'status' | 'created_at' | 'paid_at'>;
export type LedgerEntry = Pick<Tables<'credit_ledger'>,
  'id' | 'delta' | 'balance_after' | 'reserved_delta' | 'reserved_after' | 'kind' | 'reason' | 'interview_id' | 'payment_id' | 'created_at'>
  // On a team wallet: the member who made the change (credit_history carries it; null for system rows).
  & { member_id?: string | null };

export const LEDGER_COLUMNS = 'id, delta, balance_after, reserved_delta, reserved_after, kind, reason, interview_id, payment_id, created_at';
export const PAYMENT_COLUMNS = 'id, team_id, plan_id, provider, provider_session_id, credits, amount_cents, currency, status, created_at, paid_at';

/** The balance in its two parts: available to spend now, and reserved by scheduled interviews. */
export interface Balance {
  credits: number;
  reserved: number;
  /** The workspace's low-balance alert (read from the same wallet row; null: none). */
  threshold: number | null;
}
