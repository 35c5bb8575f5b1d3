// The SPA and create_interview refuse the same blank titles: the set is checked against Unicode's
// own properties (as this engine knows them) and against the database's billing.is_blank, over
// every code point.
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, db } from '../../test/stack.ts';
import { isBlankText } from './blankText.ts';

afterAll(closeDb);

const UNICODE_BLANK = /^[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]$/u;

/** Every code point Postgres text can hold (no NUL, no surrogates) up to `last` for which `blank` is true. */
function blankCodePoints(blank: (text: string) => boolean, last = 0x10ffff): number[] {
  const found: number[] = [];
  for (let cp = 1; cp <= last; cp += 1) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (blank(String.fromCodePoint(cp))) found.push(cp);
  }
  return found;
}

describe('isBlankText', () => {
  it('is White_Space, Cf and Default_Ignorable_Code_Point, plus the braille blank', () => {
    expect(blankCodePoints(isBlankText)).toEqual(blankCodePoints((c) => UNICODE_BLANK.test(c)));
  });

  it('refuses tabs, line breaks and invisible characters; one visible character is enough', () => {
    for (const blank of ['', '\t\n', '\u200B\u200C\u200D', '\u2060\uFEFF\u180E', '\u3164\u115F\u1160\uFFA0', '\u2800', '\u00A0\u3000']) {
      expect(isBlankText(blank)).toBe(true);
    }
    for (const visible of ['Engineer\u200B', '\u3164x', '😀', '\u200D👩‍💻']) expect(isBlankText(visible)).toBe(false);
  });

  // Planes 0-2 and 14: the list has no blank character elsewhere (checked first), and a call per
  // code point of all seventeen planes would take the database seconds.
  it('agrees with create_interview (billing.is_blank) on every code point of planes 0-2 and 14', async () => {
    const { rows } = await db().query<{ blank: number[] }>(`
      select coalesce(array_agg(cp order by cp), '{}') as blank
        from (select generate_series(1, x'2FFFF'::int) union all select generate_series(x'E0000'::int, x'EFFFF'::int)) g(cp)
       where (cp < x'D800'::int or cp > x'DFFF'::int) and billing.is_blank(chr(cp))`);
    expect(blankCodePoints(isBlankText).every((cp) => cp <= 0x2ffff || (cp >= 0xe0000 && cp <= 0xeffff))).toBe(true);
    expect(rows[0].blank).toEqual(blankCodePoints(isBlankText));
  }, 60_000);
});
