// Percent-decoding of URL path segments that never throws, as PostgREST's server (wai) does it:
// valid `%XX` escapes become bytes, a `%` not followed by two hex digits stays as it is, and bytes
// that are not UTF-8 become U+FFFD. A malformed name then answers "not found" instead of a 500.
export function decodePathSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i += 1) {
    const hex = segment.slice(i + 1, i + 3);
    if (segment[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(segment[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
