// A monthly limit as typed: empty = no limit; else a whole number of credits. Anything else is
// sent as typed would be refused by the server, so it is caught here with the same words.
export type ParsedLimit = { ok: true; limit: number | null } | { ok: false };

export const MAX_MONTHLY_LIMIT = 100_000_000;

export function parseLimit(text: string): ParsedLimit {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (trimmed === '') return { ok: true, limit: null };
  if (!/^\d+$/.test(trimmed)) return { ok: false };
  const limit = Number(trimmed);
  return limit <= MAX_MONTHLY_LIMIT ? { ok: true, limit } : { ok: false };
}
