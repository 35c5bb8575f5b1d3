import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { CreditBalance } from './CreditBalance.tsx';

afterEach(cleanup);

function renderBalance(credits: number | null, loading = false) {
  return render(<MemoryRouter><CreditBalance credits={credits} loading={loading} /></MemoryRouter>);
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
});
