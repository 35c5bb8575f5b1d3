// A BillingValue with nothing behind it, for tests that render billing components without a
// server: every read is done, every action succeeds at once; override what the test is about.
import type { BillingValue } from '../src/billing/index.ts';

const noop = async () => {};

export function fakeBilling(overrides: Partial<BillingValue> = {}): BillingValue {
  return {
    teamId: null, limitLeft: null, credits: 10, reserved: 0, lowBalanceThreshold: null, setLowBalanceAlert: async () => ({ ok: true, data: null }),
    plans: [], plansError: null, ledger: [], summary: null, historyError: null,
    hasOlderHistory: false, loadingOlderHistory: false, showOlderHistory: noop, subscription: null, subscriptionError: null, loading: false, error: null,
    hasEnoughCredits: () => true, deductCredits: async () => ({ ok: true, data: 0 }), addCredits: async () => ({ ok: true, data: null }),
    buyPlan: async () => ({ ok: true, data: null }), checkoutPlanId: null, refresh: noop, ...overrides,
  };
}
