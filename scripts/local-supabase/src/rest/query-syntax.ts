// Lexing helpers for PostgREST's query-string grammar: comma lists that respect quotes and
// parentheses, and the `"quoted, value"` / backslash escapes of `in.(…)` lists.

/** Splits on top-level commas (not inside "…" or (…)). */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\' && i + 1 < text.length) { current += ch + text[i + 1]; i += 1; continue; }
      if (ch === '"') quoted = false;
      current += ch;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    if (ch === separator && depth === 0) { parts.push(current); current = ''; continue; }
    current += ch;
  }
  parts.push(current);
  return parts;
}

/** `"a,b"` → `a,b` (with `\"` and `\\` unescaped); bare values are returned as they are. */
export function unquote(value: string): string {
  const text = value.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return text;
}

/** `(a,"b,c")` → ['a', 'b,c']; `()` → []. Returns undefined when not parenthesised. */
export function parseList(value: string): string[] | undefined {
  const text = value.trim();
  if (!text.startsWith('(') || !text.endsWith(')')) return undefined;
  const inner = text.slice(1, -1);
  if (inner.trim() === '') return [];
  return splitTopLevel(inner).map(unquote);
}
