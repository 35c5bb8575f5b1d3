// JSON from a request, refused past a nesting depth. V8's JSON.stringify overflows its stack near
// 4,000 levels and Postgres's json parser near 15,000 ("stack depth limit exceeded", 54001); both
// would surface as a 500. GoTrue (Go's encoding/json) stops at 10,000; every route here stops at
// MAX_JSON_DEPTH, far above any real payload and far below either overflow.
export const MAX_JSON_DEPTH = 1000;

export class JsonTooDeep extends Error {
  constructor(readonly limit = MAX_JSON_DEPTH) {
    super(`JSON nested deeper than ${limit} levels`);
  }
}

/** Deepest `[`/`{` nesting of JSON text, counted without recursion; brackets in strings do not count. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return deepest;
}

/** JSON.parse, but throws JsonTooDeep (before parsing) for text nested past `limit`. */
export function parseJsonBounded(text: string, limit = MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text) > limit) throw new JsonTooDeep(limit);
  return JSON.parse(text);
}
