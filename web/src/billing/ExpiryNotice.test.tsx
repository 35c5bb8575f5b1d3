import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ExpiryNotice } from './ExpiryNotice.tsx';

afterEach(cleanup);

const now = new Date('2026-12-01T12:00:00');

describe('ExpiryNotice', () => {
  it('says how many credits expire next and when, with the verb agreeing', () => {
    render(<ExpiryNotice now={now} expiring={[{ expires_at: '2027-01-03T12:00:00', credits: 12 }]} />);
    expect(screen.getByTestId('expiry-notice').textContent).toBe('12 credits expire on Jan 3, 2027.');
  });

  it('one credit expires; later lots follow, soonest first; long counts are grouped', () => {
    render(<ExpiryNotice now={now} expiring={[
      { expires_at: '2027-01-03T12:00:00', credits: 1 },
      { expires_at: '2027-02-01T12:00:00', credits: 999_999 },
    ]} />);
    expect(screen.getByText('1 credit expires on Jan 3, 2027.')).toBeTruthy();
    expect(screen.getByText('Then 999,999 credits on Feb 1, 2027.')).toBeTruthy();
  });

  it('gives the time when it is today', () => {
    render(<ExpiryNotice now={now} expiring={[{ expires_at: '2026-12-01T15:04:00', credits: 2 }]} />);
    expect(screen.getByTestId('expiry-notice').textContent).toMatch(/^2 credits expire today at 3:04\sPM\.$/);
  });

  it('shows nothing when nothing expires', () => {
    const { container } = render(<ExpiryNotice now={now} expiring={[]} />);
    expect(container.textContent).toBe('');
  });
});
