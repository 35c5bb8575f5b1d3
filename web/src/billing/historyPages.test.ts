import { describe, expect, it } from 'vitest';
import { NO_HISTORY, withNewestPage, withOlderPage, type LoadedHistory } from './historyPages.ts';

const rows = (...ids: number[]) => ids.map((id) => ({
  id, delta: 1, balance_after: id, reserved_delta: 0, reserved_after: 0, kind: 'grant', reason: null, interview_id: null, payment_id: null, created_at: '2026-03-10T10:00:00Z',
}));
const ids = (history: LoadedHistory) => history.entries.map((entry) => entry.id);

describe('history pages', () => {
  it('appends an older page and takes its cursor', () => {
    const first: LoadedHistory = { entries: rows(9, 8, 7), nextBeforeId: 7 };
    const next = withOlderPage(first, 7, { entries: rows(6, 5), nextBeforeId: null });
    expect(ids(next)).toEqual([9, 8, 7, 6, 5]);
    expect(next.nextBeforeId).toBeNull();
  });

  it('drops an older page whose cursor was replaced meanwhile', () => {
    const loaded: LoadedHistory = { entries: rows(9, 8, 7), nextBeforeId: 7 };
    expect(withOlderPage(loaded, 4, { entries: rows(3), nextBeforeId: null })).toBe(loaded);
  });

  it('a re-read newest page keeps the older pages already opened', () => {
    const loaded: LoadedHistory = { entries: rows(9, 8, 7, 6, 5), nextBeforeId: 5 };
    const next = withNewestPage(loaded, { entries: rows(11, 10, 9), nextBeforeId: 9 });
    expect(ids(next)).toEqual([11, 10, 9, 8, 7, 6, 5]);
    expect(next.nextBeforeId).toBe(5);
  });

  it('when more new rows than a page arrived, the page starts over rather than leave a gap', () => {
    const loaded: LoadedHistory = { entries: rows(5, 4, 3), nextBeforeId: 3 };
    const next = withNewestPage(loaded, { entries: rows(9, 8, 7), nextBeforeId: 7 });
    expect(ids(next)).toEqual([9, 8, 7]);
    expect(next.nextBeforeId).toBe(7);
  });

  it('a newest page holding the whole history replaces everything', () => {
    const page: LoadedHistory = { entries: rows(3, 2, 1), nextBeforeId: null };
    // The same rows (rows already loaded keep their objects: see the next test).
    expect(withNewestPage({ entries: rows(2, 1), nextBeforeId: null }, page)).toEqual(page);
    expect(withNewestPage(NO_HISTORY, page)).toEqual(page);
  });

  it('keeps the objects of rows already loaded, so only a new row has to render again', () => {
    const loaded: LoadedHistory = { entries: rows(9, 8, 7), nextBeforeId: 7 };
    const next = withNewestPage(loaded, { entries: rows(10, 9, 8), nextBeforeId: 8 });
    expect(ids(next)).toEqual([10, 9, 8, 7]);
    expect(next.entries[1]).toBe(loaded.entries[0]);
    expect(next.entries[3]).toBe(loaded.entries[2]);
  });
});
