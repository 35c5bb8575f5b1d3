// Every date the SPA shows from the database goes through these: none may throw for any value
// Postgres can hold ('infinity', '-infinity', year 294276, dates BC) or for garbage, because one
// RangeError ("Invalid time value") in a formatter took the whole billing page down.
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDayOrTime, formatMoney, formatUtcDay } from './format.ts';

const now = new Date('2026-12-01T12:00:00');

// What Postgres's JSON says for the extremes (to_jsonb of a timestamptz).
const EXTREMES = [
  'infinity', '-infinity', '294276-12-31T23:59:59+00:00', '4713-01-01T00:00:00+00:00 BC',
  '275760-09-13T00:00:00+00:00', '275760-09-14T00:00:00+00:00', '2026-13-45T00:00:00+00:00', 'not a date', '',
];

describe('date formatting never throws', () => {
  it.each(EXTREMES)('%s', (value) => {
    for (const format of [formatDateTime, formatDate, formatUtcDay, (v: string) => formatDayOrTime(v, now)]) {
      expect(() => format(value)).not.toThrow();
      expect(format(value)).not.toMatch(/Invalid|NaN/);
    }
  });

  it('null and undefined (a column that should not be null, but is) read as a dash', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDate(undefined)).toBe('—');
  });

  it('infinity reads "never", -infinity "long ago"', () => {
    expect(formatDate('infinity')).toBe('never');
    expect(formatDateTime('infinity')).toBe('never');
    expect(formatDayOrTime('infinity', now)).toBe('never');
    expect(formatDateTime('-infinity')).toBe('long ago');
  });

  it('a date beyond what a browser holds is shown as written', () => {
    expect(formatDate('294276-12-31T23:59:59+00:00')).toBe('Dec 31, 294276');
    expect(formatDateTime('294276-12-31T23:59:59+00:00')).toBe('Dec 31, 294276');
    expect(formatDayOrTime('294276-12-31T23:59:59+00:00', now)).toBe('on Dec 31, 294276');
    expect(formatDate('4713-01-01T00:00:00+00:00 BC')).toBe('Jan 1, 4713 BC');
  });

  it('a six-digit year a browser can hold is formatted as a date', () => {
    expect(formatDate('100000-01-15T12:00:00+00:00')).toBe('Jan 15, 100000');
  });

  it('garbage reads as a dash (or "on an unknown date" in a sentence)', () => {
    expect(formatDateTime('not a date')).toBe('—');
    expect(formatDayOrTime('not a date', now)).toBe('on an unknown date');
  });

  it('ordinary dates read as before', () => {
    expect(formatDate('2027-01-03T12:00:00')).toBe('Jan 3, 2027');
    expect(formatDayOrTime('2026-12-01T15:04:00', now)).toMatch(/^today at 3:04\sPM$/);
    expect(formatDateTime('2026-03-10T10:00:00')).toMatch(/^3\/10\/26, 10:00\sAM$/);
  });
});

describe('formatMoney', () => {
  it('formats an amount in its currency', () => {
    expect(formatMoney(900, 'usd')).toBe('$9.00');
  });

  it('a currency code no browser knows the shape of does not throw', () => {
    expect(formatMoney(900, 'us dollars')).toBe('9.00 US DOLLARS');
  });
});

describe('the day a monthly limit resets', () => {
  it('is the UTC day, said so, whatever the browser zone', () => {
    // Midnight UTC on Jan 1 is Dec 31 in every zone west of Greenwich.
    expect(formatUtcDay('2027-01-01T00:00:00+00:00')).toBe('Jan 1, 2027 (UTC)');
    expect(formatUtcDay('infinity')).toBe('never');
  });
});
