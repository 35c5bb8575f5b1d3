import { createContext } from 'react';
import type { AppError } from '../lib/appError.ts';
import type { Result } from '../lib/result.ts';
import type { BillingSummary } from './billingSchemas.ts';
import type { LedgerEntry, Plan } from './billingTypes.ts';

export interface BillingValue {
  /** The workspace these numbers are for: a team's id, or null for the personal workspace. */
  teamId: string | null;
  /**
   * In a team: the credits the signed-in member may still hold or spend this month (the smaller of
   * their own limit and the team's); null when no limit applies (or personal, or not read yet).
   */
  limitLeft: number | null;
  /** The live AVAILABLE balance (spendable now); null until the first read (or when signed out). */
  credits: number | null;
  /** Credits held by scheduled interviews: not spendable, not spent until the interview takes place. */
  reserved: number | null;
  /** The workspace's low-balance alert: the banner shows while credits < it; null = no alert (or not read yet). */
  lowBalanceThreshold: number | null;
  /** Sets the alert (null turns it off) for the selected workspace; owners and admins of a team, or the recruiter. */
  setLowBalanceAlert(threshold: number | null): Promise<Result<number | null>>;
  plans: Plan[];
  /** Why the plans could not be read (the last failure; cleared by the next successful read). */
  plansError: AppError | null;
  ledger: LedgerEntry[];
  summary: BillingSummary | null;
  /** Why the ledger or totals could not be read, so the history never shows a false "no activity". */
  historyError: AppError | null;
  /** True when the history has rows older than `ledger` holds ("Show older"). */
  hasOlderHistory: boolean;
  /** True while an older page of the history is being read. */
  loadingOlderHistory: boolean;
  /** Appends the next older page of the history (keyset on the ledger id, never an offset). */
  showOlderHistory(): Promise<void>;
  /** True while the first read after sign-in is in flight. */
  loading: boolean;
  /** The last failed read; cleared by the next successful one. */
  error: AppError | null;
  /** Whether the available part covers `amount` (reserved credits do not count) and, in a team, the limits allow it. */
  hasEnoughCredits(amount: number): boolean;
  /** Spends credits of the selected workspace (rpc deduct_credits); resolves with the new balance. */
  deductCredits(amount: number, reason?: string): Promise<Result<number>>;
  /** Starts a checkout (for the selected workspace) of the pack holding `amount` credits and leaves for the payment page. */
  addCredits(amount: number): Promise<Result<null>>;
  /** Starts a checkout of any plan (pack or tier) and leaves for the payment page. */
  buyPlan(planId: string): Promise<Result<null>>;
  /** The plan whose checkout is being started, so its button can show progress. */
  checkoutPlanId: string | null;
  /** Re-reads balance, history, totals and plans. */
  refresh(): Promise<void>;
}

export const BillingContext = createContext<BillingValue | null>(null);
