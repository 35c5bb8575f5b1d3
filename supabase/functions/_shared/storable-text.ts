// Text Postgres can store: any Unicode except NUL. JSON may also carry an unpaired UTF-16
// surrogate (a lone \ud800), which is not Unicode at all; JSON.stringify writes it back as an
// escape and Postgres refuses it (22P02), as it refuses \u0000 (22P05). Such a value from a signed
// Stripe event never changes on retry, so it must be caught before the database, not after.

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// deno-lint-ignore no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export function isStorable(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The text with every unstorable character replaced by U+FFFD, for labels and reasons. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_ALL, '\ufffd');
}
