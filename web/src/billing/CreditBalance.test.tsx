import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { CreditBalance } from './CreditBalance.tsx';

afterEach(cleanup);

function renderBalance(credits: number | null, loading = false, reserved: number | null = null) {
  return render(<MemoryRouter><CreditBalance credits={credits} reserved={reserved} loading={loading} /></MemoryRouter>);
}

describe('CreditBalance', () => {
  it('shows the balance without a warning above the threshold', () => {
    renderBalance(3);
    expect(screen.getByTestId('credit-balance').textContent).toBe('3');
    expect(screen.queryByText(/low balance/i)).toBeNull();
  });

  it.each([[2, 'Low balance: 2 credits left.'], [1, 'Low balance: 1 credit left.'], [0, 'No credits left.']])('warns and links to billing at %i credits', (credits, words) => {
    renderBalance(credits);
    expect(screen.getByRole('status').textContent).toBe(`${words} Add credits`);
    expect(screen.getByRole('link', { name: 'Add credits' }).getAttribute('href')).toBe('/billing');
  });

  it('shows a placeholder, not a zero, before the balance is known', () => {
    renderBalance(null, true);
    expect(screen.getByTestId('credit-balance').textContent).toBe('…');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows what is reserved beside what is available, only when something is reserved', () => {
    renderBalance(12, false, 2);
    expect(screen.getByTestId('credit-balance').textContent).toBe('12');
    expect(screen.getByText(/available/).textContent).toBe(' available');
    expect(screen.getByTestId('credit-reserved').textContent).toBe('2 reserved for interviews');
    cleanup();
    renderBalance(12, false, 0);
    expect(screen.queryByTestId('credit-reserved')).toBeNull();
    expect(screen.queryByText(/available/)).toBeNull();
  });

  it('groups long numbers', () => {
    renderBalance(999_999, false, 999_999);
    expect(screen.getByTestId('credit-balance').textContent).toBe('999,999');
    expect(screen.getByTestId('credit-reserved').textContent).toBe('999,999 reserved for interviews');
  });
});
