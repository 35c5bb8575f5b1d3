import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { LedgerHistory } from './LedgerHistory.tsx';

afterEach(cleanup);

const base = { interview_id: null, payment_id: null, created_at: '2026-03-10T10:00:00Z', reserved_delta: 0, reserved_after: 0 };

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

  it('reads holds, captures, returns and expiries in plain words; a capture moves the reserved part only', () => {
    render(<LedgerHistory entries={[
      { ...base, id: 5, delta: -12, balance_after: 0, kind: 'expiration', reason: 'Expired unused: Welcome credits' },
      { ...base, id: 4, delta: 2, balance_after: 12, reserved_delta: -2, reserved_after: 0, kind: 'release', reason: null },
      { ...base, id: 3, delta: 0, balance_after: 10, reserved_delta: -1, reserved_after: 2, kind: 'spend', reason: null },
      { ...base, id: 2, delta: -1, balance_after: 10, reserved_delta: 1, reserved_after: 3, kind: 'hold', reason: null },
    ]} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(within(rows[0]).getByText('12 credits expired')).toBeTruthy();
    expect(within(rows[0]).getByText('-12')).toBeTruthy();
    expect(within(rows[1]).getByText('+2')).toBeTruthy();
    expect(within(rows[1]).getByTestId('ledger-reserved-change').textContent).toBe('-2 reserved');
    // The capture: nothing leaves the available balance (it stays 10), the reserved part drops.
    expect(within(rows[2]).getByText('1 credit spent from reserved')).toBeTruthy();
    expect(within(rows[2]).getByText('available unchanged')).toBeTruthy();
    expect(within(rows[2]).getByTestId('ledger-reserved-change').textContent).toBe('-1 reserved');
    expect(within(rows[2]).getByTestId('ledger-balance').textContent).toBe('10');
    expect(within(rows[2]).getByText('2 reserved')).toBeTruthy();
    expect(within(rows[3]).getByText('1 credit held until the interview takes place')).toBeTruthy();
    expect(within(rows[3]).getByTestId('ledger-reserved-change').textContent).toBe('+1 reserved');
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

  it('rows dated at the extremes Postgres holds render instead of crashing the page', () => {
    render(<LedgerHistory entries={[
      { ...base, id: 3, delta: 2, balance_after: 4, kind: 'grant', reason: null, created_at: 'infinity' },
      { ...base, id: 2, delta: 1, balance_after: 2, kind: 'grant', reason: null, created_at: '294276-12-31T23:59:59+00:00' },
      { ...base, id: 1, delta: 1, balance_after: 1, kind: 'grant', reason: null, created_at: '-infinity' },
    ]} />);
    const when = screen.getAllByRole('row').slice(1).map((row) => row.querySelector('.ledger-table__when')?.textContent);
    expect(when).toEqual(['never', 'Dec 31, 294276', 'long ago']);
  });

  it('an interview\'s charge refunded reads as such', () => {
    render(<LedgerHistory entries={[{ ...base, id: 1, delta: 2, balance_after: 2, kind: 'refund', reason: 'Interview broke' }]} />);
    expect(screen.getByText('Interview refunded')).toBeTruthy();
  });
});

