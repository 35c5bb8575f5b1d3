// English plural forms chosen by Intl.PluralRules, so every count on every page agrees with its
// noun ("1 credit", "0 credits", "-1 credit") instead of each component guessing with `=== 1`.
const rules = new Intl.PluralRules('en-US');
// Grouped digits ("999,999"): a six-digit count read without commas is easily misread by tenfold.
const numbers = new Intl.NumberFormat('en-US');

/** A count as every page shows it: "12", "999,999". */
export function formatNumber(count: number): string {
  return numbers.format(count);
}

export interface Noun {
  one: string;
  other: string;
}

export const NOUNS = {
  credit: { one: 'credit', other: 'credits' },
  interview: { one: 'interview', other: 'interviews' },
  minute: { one: 'minute', other: 'minutes' },
  day: { one: 'day', other: 'days' },
  character: { one: 'character', other: 'characters' },
} as const satisfies Record<string, Noun>;

/** The noun alone, in the form `count` takes ("credit" for 1, "credits" for 0 or 5). */
export function pluralNoun(count: number, noun: Noun): string {
  return rules.select(count) === 'one' ? noun.one : noun.other;
}

/** The count with its noun: "1 credit", "12 credits", "1,200 credits". */
export function formatCount(count: number, noun: Noun): string {
  return `${formatNumber(count)} ${pluralNoun(count, noun)}`;
}
