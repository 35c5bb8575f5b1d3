import { describe, expect, it } from 'vitest';
import { parseLimit } from './limitInput.ts';

describe('parseLimit', () => {
  it('empty means no limit; whole numbers (with thousands separators) are limits', () => {
    expect(parseLimit('')).toEqual({ ok: true, limit: null });
    expect(parseLimit('   ')).toEqual({ ok: true, limit: null });
    expect(parseLimit('0')).toEqual({ ok: true, limit: 0 });
    expect(parseLimit(' 1,000 ')).toEqual({ ok: true, limit: 1000 });
    expect(parseLimit('100000000')).toEqual({ ok: true, limit: 100_000_000 });
  });

  it('refuses what the server would: words, fractions, negatives, past the maximum', () => {
    for (const text of ['lots', '2.5', '-1', '1e3', '100000001', '٣']) expect(parseLimit(text), text).toEqual({ ok: false });
  });
});
