// Which job titles count as blank: the same set create_interview refuses (billing.is_blank in
// supabase/migrations/20261125000600_interviews.sql). A title of tabs, line breaks or zero-width
// characters shows as nothing in every list, so it is refused like an empty one.
//
// Blank = White_Space, general category Cf (format) and Default_Ignorable_Code_Point characters
// (Unicode 17), plus U+2800 BRAILLE PATTERN BLANK (a symbol that renders as a space). Spelled out
// as ranges, not \p{...}, so it does not change with the browser's Unicode version and matches
// the database character for character; blankText.test.ts checks both.
const BLANK_RANGES = [
  '\\u0009-\\u000D', '\\u0020', '\\u0085', '\\u00A0', '\\u00AD', '\\u034F', '\\u0600-\\u0605', '\\u061C', '\\u06DD', '\\u070F',
  '\\u0890-\\u0891', '\\u08E2', '\\u115F-\\u1160', '\\u1680', '\\u17B4-\\u17B5', '\\u180B-\\u180F', '\\u2000-\\u200F',
  '\\u2028-\\u202F', '\\u205F-\\u206F', '\\u2800', '\\u3000', '\\u3164', '\\uFE00-\\uFE0F', '\\uFEFF', '\\uFFA0',
  '\\uFFF0-\\uFFFB', '\\u{110BD}', '\\u{110CD}', '\\u{13430}-\\u{1343F}', '\\u{1BCA0}-\\u{1BCA3}', '\\u{1D173}-\\u{1D17A}',
  '\\u{E0000}-\\u{E0FFF}',
].join('');

// The class lists variation selectors and other combining marks on purpose, one code point each.
// eslint-disable-next-line no-misleading-character-class
const VISIBLE = new RegExp(`[^${BLANK_RANGES}]`, 'u');

/** True when the text has no visible character (empty, or only blank characters). */
export function isBlankText(text: string): boolean {
  return !VISIBLE.test(text);
}
