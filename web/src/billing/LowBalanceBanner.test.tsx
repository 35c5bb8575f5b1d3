import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { LowBalanceBanner } from './LowBalanceBanner.tsx';
import { isLowBalance, showsLowBalanceBanner } from './lowBalance.ts';
import { thresholdFromPayload } from './balancePayload.ts';

afterEach(cleanup);

function renderBanner(credits: number | null, threshold: number | null, canBuy = true) {
  return render(<MemoryRouter><LowBalanceBanner credits={credits} threshold={threshold} canBuy={canBuy} /></MemoryRouter>);
}

describe('LowBalanceBanner', () => {
  it('shows while the available credits are below the alert, with a way to add credits', () => {
    renderBanner(4, 5);
    expect(screen.getByTestId('low-balance-banner').textContent).toBe('Low balance: 4 credits left, below your alert of 5 credits. Add credits');
    expect(screen.getByRole('link', { name: 'Add credits' }).getAttribute('href')).toBe('/billing');
  });

  it.each([[5, 5], [9, 5], [4, null], [null, 5]])('is absent at %s credits with an alert of %s (at it, above it, no alert, not read yet)', (credits, threshold) => {
    renderBanner(credits, threshold);
    expect(screen.queryByTestId('low-balance-banner')).toBeNull();
  });

  it('says when nothing is left, and tells a team member whom to ask instead of linking to buy', () => {
    renderBanner(0, 5, false);
    expect(screen.getByTestId('low-balance-banner').textContent).toBe('No credits left. Ask a team owner or admin to add credits.');
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('follows the balance as it moves: appears when it falls below, goes when it comes back', () => {
    const view = renderBanner(6, 5);
    expect(screen.queryByTestId('low-balance-banner')).toBeNull();
    view.rerender(<MemoryRouter><LowBalanceBanner credits={4} threshold={5} /></MemoryRouter>);
    expect(screen.getByTestId('low-balance-banner')).toBeTruthy();
    view.rerender(<MemoryRouter><LowBalanceBanner credits={14} threshold={5} /></MemoryRouter>);
    expect(screen.queryByTestId('low-balance-banner')).toBeNull();
  });
});

describe('low balance rules', () => {
  it('the badges warn below the workspace\'s alert, or below the default (3) without one', () => {
    expect([isLowBalance(2), isLowBalance(3)]).toEqual([true, false]);
    expect([isLowBalance(9, 10), isLowBalance(10, 10), isLowBalance(2, 1)]).toEqual([true, false, false]);
  });

  it('the banner needs an alert: no default banner', () => {
    expect([showsLowBalanceBanner(0, null), showsLowBalanceBanner(0, 1), showsLowBalanceBanner(1, 1)]).toEqual([false, true, false]);
  });

  it('reads the threshold of a low_balance or low_balance_threshold message, null when turned off', () => {
    expect(thresholdFromPayload({ wallet_id: 'w', threshold: 5, credits: 4 })).toBe(5);
    expect(thresholdFromPayload({ wallet_id: 'w', threshold: null })).toBeNull();
    expect([thresholdFromPayload({ credits: 4 }), thresholdFromPayload({ threshold: -1 }), thresholdFromPayload('x')]).toEqual([undefined, undefined, undefined]);
  });
});
