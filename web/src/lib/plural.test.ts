import { describe, expect, it } from 'vitest';
import { formatCount, NOUNS, pluralNoun } from './plural.ts';
import { formatCredits, formatMinutes } from './format.ts';

describe('plural rules (Intl.PluralRules)', () => {
  it('says "1 credit" and "0 credits", "5 credits", "-1 credit"', () => {
    expect([0, 1, 2, 5, -1].map(formatCredits)).toEqual(['0 credits', '1 credit', '2 credits', '5 credits', '-1 credit']);
  });

  it('covers every noun a count is shown with', () => {
    expect(formatMinutes(1)).toBe('1 minute');
    expect(formatMinutes(15)).toBe('15 minutes');
    expect(formatCount(1, NOUNS.interview)).toBe('1 interview');
    expect(formatCount(3, NOUNS.day)).toBe('3 days');
    expect(pluralNoun(1, NOUNS.character)).toBe('character');
  });
});

describe('long counts', () => {
  it('groups digits so 999,999 is not misread', () => {
    expect(formatCredits(999_999)).toBe('999,999 credits');
    expect(formatCredits(1000)).toBe('1,000 credits');
  });
});
