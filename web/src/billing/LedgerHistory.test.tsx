import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { LedgerHistory } from './LedgerHistory.tsx';

afterEach(cleanup);

const base = { interview_id: null, payment_id: null, created_at: '2026-03-10T10:00:00Z' };

describe('LedgerHistory', () => {
  it('lists purchases, spends and refunds with signed changes', () => {
    render(<LedgerHistory entries={[
      { ...base, id: 3, delta: 2, balance_after: 10, kind: 'refund', reason: 'Interview cancelled' },
      { ...base, id: 2, delta: -2, balance_after: 8, kind: 'spend', reason: null },
      { ...base, id: 1, delta: 10, balance_after: 10, kind: 'purchase', reason: null },
    ]} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-kind'))).toEqual(['refund', 'spend', 'purchase']);
    expect(within(rows[0]).getByText('+2')).toBeTruthy();
    expect(within(rows[1]).getByText('-2')).toBeTruthy();
    expect(within(rows[1]).getByText('Interview charge')).toBeTruthy();
    expect(within(rows[2]).getByText('Purchase')).toBeTruthy();
  });

  it('explains an empty history instead of showing an empty table', () => {
    render(<LedgerHistory entries={[]} />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText(/no credit activity yet/i)).toBeTruthy();
  });
});

describe('LedgerHistory, older rows', () => {
  const entries = [{ ...base, id: 1, delta: 10, balance_after: 10, kind: 'purchase', reason: null }];

  it('offers "Show older" only when older rows exist, and asks for them', () => {
    let asked = 0;
    const { rerender } = render(<LedgerHistory entries={entries} older={{ loading: false, show: () => { asked += 1; } }} />);
    screen.getByRole('button', { name: 'Show older' }).click();
    expect(asked).toBe(1);
    rerender(<LedgerHistory entries={entries} />);
    expect(screen.queryByRole('button', { name: 'Show older' })).toBeNull();
  });

  it('shows the older page is loading and cannot be asked for twice', () => {
    render(<LedgerHistory entries={entries} older={{ loading: true, show: () => {} }} />);
    const button = screen.getByRole('button', { name: 'Loading…' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
  });
});
