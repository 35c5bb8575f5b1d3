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

  // Any value the database can hold renders as something (a support edit once set 'infinity' and the
  // page showed only "Something went wrong": RangeError: Invalid time value).
  it('a lot expiring at infinity (never) carries no notice; the next real one does', () => {
    render(<ExpiryNotice now={now} expiring={[{ expires_at: 'infinity', credits: 5 }, { expires_at: '2027-01-03T12:00:00', credits: 2 }]} />);
    expect(screen.getByTestId('expiry-notice').textContent).toBe('2 credits expire on Jan 3, 2027.');
  });

  it('only never-expiring lots: no notice at all', () => {
    const { container } = render(<ExpiryNotice now={now} expiring={[{ expires_at: 'infinity', credits: 5 }]} />);
    expect(container.textContent).toBe('');
  });

  it('year 294276 (the last Postgres holds) is shown as written', () => {
    render(<ExpiryNotice now={now} expiring={[{ expires_at: '294276-12-31T23:59:59+00:00', credits: 3 }]} />);
    expect(screen.getByTestId('expiry-notice').textContent).toBe('3 credits expire on Dec 31, 294276.');
  });

  it('-infinity or a date already passed: they expire now; garbage: an unknown date', () => {
    render(<ExpiryNotice now={now} expiring={[
      { expires_at: '-infinity', credits: 1 }, { expires_at: '2026-11-30T12:00:00', credits: 2 }, { expires_at: 'soon', credits: 3 },
    ]} />);
    expect(screen.getByText('1 credit expires now.')).toBeTruthy();
    expect(screen.getByText('Then 2 credits now, 3 credits on an unknown date.')).toBeTruthy();
  });
});

