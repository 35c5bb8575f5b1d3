import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { SpendChart } from './SpendChart.tsx';

afterEach(cleanup);

describe('SpendChart', () => {
  it('draws one bar per day, the tallest for the biggest day, and says the total', () => {
    const { container } = render(<SpendChart points={[
      { day: '2026-03-08', spent: 1 }, { day: '2026-03-09', spent: 0 }, { day: '2026-03-10', spent: 4 },
    ]} />);
    const bars = Array.from(container.querySelectorAll('rect.spend-chart__bar'));
    expect(bars).toHaveLength(3);
    const heights = bars.map((bar) => Number(bar.getAttribute('height')));
    expect(heights[1]).toBe(0);
    expect(heights[2]).toBeGreaterThan(heights[0]);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Spent on interviews (net of refunds), last 3 days: 5 credits');
  });

  it('uses the totals\' label and plural rules: "1 credit", and the all-time figure beside it', () => {
    render(<SpendChart points={[{ day: '2026-03-10', spent: 1 }]} allTime={3} />);
    expect(screen.getByTestId('spend-chart-caption').textContent).toBe('Spent on interviews (net of refunds), last 1 day: 1 credit (3 credits in all)');
    expect(screen.getByText('busiest day: 1 credit')).toBeTruthy();
  });
});
