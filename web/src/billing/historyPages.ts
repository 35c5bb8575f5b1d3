// The history the billing page has loaded: keyset pages of credit_history, newest first, and the
// cursor of the next older page. A re-read of the newest page (after any balance change) must
// not drop the older pages the user opened, nor leave a gap between the two.
import type { LedgerEntry } from './billingTypes.ts';

export interface LoadedHistory {
  entries: LedgerEntry[];
  /** Pass as before_id for the next older page; null when the oldest row is loaded. */
  nextBeforeId: number | null;
}

export const NO_HISTORY: LoadedHistory = { entries: [], nextBeforeId: null };

/**
 * A freshly read newest page, followed by the older rows already loaded when the two meet. Rows
 * already loaded keep their objects (a ledger row never changes once written), so a re-read after
 * a change gives the history one new row to render, not a new copy of every row.
 */
export function withNewestPage(loaded: LoadedHistory, fresh: LoadedHistory): LoadedHistory {
  const known = new Map(loaded.entries.map((entry) => [entry.id, entry]));
  const page = { ...fresh, entries: fresh.entries.map((entry) => known.get(entry.id) ?? entry) };
  if (page.nextBeforeId === null) return page;
  const cursor = page.nextBeforeId;
  const newestLoaded = loaded.entries[0]?.id;
  // More new rows than a page arrived since: the loaded rows no longer join the page.
  if (newestLoaded === undefined || newestLoaded < cursor) return page;
  const older = loaded.entries.filter((entry) => entry.id < cursor);
  return older.length === 0 ? page : { entries: [...page.entries, ...older], nextBeforeId: loaded.nextBeforeId };
}

/** An older page appended, if it is still the one that continues what is loaded. */
export function withOlderPage(loaded: LoadedHistory, beforeId: number, page: LoadedHistory): LoadedHistory {
  if (loaded.nextBeforeId !== beforeId) return loaded;
  return { entries: [...loaded.entries, ...page.entries], nextBeforeId: page.nextBeforeId };
}
