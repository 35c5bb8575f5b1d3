// Issue 18 item 6: on Billing a new balance must not wait for the history to render again. With
// 2,000 rows on the page every re-render of the table held the main thread for hundreds of
// milliseconds, on every balance change and again on the history re-read after it. Counted here
// by how many rows are described (describeLedgerEntry runs once per rendered row).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { BillingContext, type BillingValue } from './BillingContext.ts';
import { BillingPage } from './BillingPage.tsx';
import { SupabaseContext } from '../lib/SupabaseContext.ts';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';
import type { LedgerEntry } from './billingTypes.ts';
import * as labels from './ledgerLabels.ts';

vi.mock('./ledgerLabels.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./ledgerLabels.ts')>();
  return { ...actual, describeLedgerEntry: vi.fn(actual.describeLedgerEntry) };
});
const described = vi.mocked(labels.describeLedgerEntry);

const row = (id: number): LedgerEntry => ({
  id, delta: -1, balance_after: 3000 - id, reserved_delta: 0, reserved_after: 0, kind: 'spend', reason: 'bench',
  interview_id: null, payment_id: null, created_at: '2026-12-01T10:00:00Z',
});
const ROWS = 500;
const history = Array.from({ length: ROWS }, (_, i) => row(ROWS - i));

const noop = async () => {};
function billing(overrides: Partial<BillingValue>): BillingValue {
  return {
    teamId: null, limitLeft: null, credits: 10, reserved: 0, lowBalanceThreshold: null, setLowBalanceAlert: async () => ({ ok: true, data: null }),
    plans: [], plansError: null, ledger: history, summary: null, historyError: null,
    hasOlderHistory: false, loadingOlderHistory: false, showOlderHistory: noop, loading: false, error: null,
    hasEnoughCredits: () => true, deductCredits: async () => ({ ok: true, data: 0 }), addCredits: async () => ({ ok: true, data: null }),
    buyPlan: async () => ({ ok: true, data: null }), checkoutPlanId: null, refresh: noop, ...overrides,
  };
}

// Nothing here talks to a server: no checkout session in the URL, so no hook reads the client.
const client = {} as AppSupabaseClient;
function page(value: BillingValue) {
  return (
    <SupabaseContext.Provider value={client}>
      <BillingContext.Provider value={value}>
        <MemoryRouter initialEntries={['/billing']}><BillingPage pricing={null} /></MemoryRouter>
      </BillingContext.Provider>
    </SupabaseContext.Provider>
  );
}

beforeEach(() => { described.mockClear(); });
afterEach(cleanup);

describe('BillingPage renders', () => {
  it('a new balance re-renders no history row, and a history re-read renders only the new row', () => {
    const { rerender } = render(page(billing({ credits: 10 })));
    expect(described).toHaveBeenCalledTimes(ROWS);

    described.mockClear();
    rerender(page(billing({ credits: 9 })));
    expect(screen.getByTestId('billing-balance').textContent).toBe('9');
    expect(described).toHaveBeenCalledTimes(0);

    // The re-read after the change: one new row, the others the same ledger rows as before.
    described.mockClear();
    rerender(page(billing({ credits: 9, ledger: [row(ROWS + 1), ...history] })));
    expect(described).toHaveBeenCalledTimes(1);
    expect(screen.getAllByTestId('ledger-balance')).toHaveLength(ROWS + 1);
  });
});
