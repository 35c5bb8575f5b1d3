// The user's credit history: purchases, holds, spends, returns and expiries, newest first. On
// phones each row stacks (when on top, then what, change and balance) so the balance never hides
// off-screen; the explicit roles keep it a table for screen readers once CSS changes its display.
// Change and Balance are the AVAILABLE part; a row that moves reserved credits says so under its
// number ("+2 reserved"), so a completed interview reads as reserved credits spent, not a new charge.
import { memo } from 'react';
import type { LedgerEntry } from './billingTypes.ts';
import { describeLedgerEntry } from './ledgerLabels.ts';
import { formatDateTime, formatNumber } from '../lib/format.ts';
import { ClampedText } from '../ui/ClampedText.tsx';

function signed(n: number): string {
  return n > 0 ? `+${formatNumber(n)}` : formatNumber(n);
}

/** Older rows exist: a "Show older" button reads the next keyset page (the billing page only). */
export interface OlderRows {
  loading: boolean;
  show(): void;
}

/** One row; memoised because a ledger row never changes: a re-read renders only the new rows. */
const LedgerRow = memo(function LedgerRow({ entry, by }: { entry: LedgerEntry; by: string | null }) {
  const words = describeLedgerEntry(entry);
  return (
    <tr role="row" data-kind={entry.kind}>
      <td role="cell" className="ledger-table__when">{formatDateTime(entry.created_at)}</td>
      <td role="cell" className="ledger-table__what">
        <span className={`tag tag--${entry.kind}`}>{words.label}</span>
        {words.summary && <> <span className="ledger-table__summary" data-testid="ledger-summary">{words.summary}</span></>}
        {entry.reason && <> <ClampedText className="muted ledger-table__reason" text={entry.reason} lines={2} /></>}
        {by && <> <span className="muted ledger-table__by" data-testid="ledger-by">by {by}</span></>}
      </td>
      <td role="cell" data-label="Change" className={`num ${entry.delta > 0 ? 'positive' : entry.delta < 0 ? 'negative' : 'unchanged'}`}>
        {entry.delta === 0
          ? <><span aria-hidden="true">0</span><span className="visually-hidden">available unchanged</span></>
          : signed(entry.delta)}
        {entry.reserved_delta !== 0 && (
          <span className="ledger-table__reserved" data-testid="ledger-reserved-change">{signed(entry.reserved_delta)} reserved</span>
        )}
      </td>
      <td role="cell" data-label="Balance" className="num">
        <span data-testid="ledger-balance">{formatNumber(entry.balance_after)}</span>
        {(entry.reserved_after > 0 || entry.reserved_delta !== 0) && (
          <span className="ledger-table__reserved">{formatNumber(entry.reserved_after)} reserved</span>
        )}
      </td>
    </tr>
  );
});

interface Props {
  entries: LedgerEntry[];
  older?: OlderRows;
  /** A team's history for its owners and admins: who each member_id is (name or e-mail). */
  memberNames?: ReadonlyMap<string, string>;
}

export function LedgerHistory({ entries, older, memberNames }: Props) {
  if (entries.length === 0) {
    return <p className="muted">No credit activity yet. Purchases, credits reserved and spent for interviews, and credits returned will show up here.</p>;
  }
  return (
    <>
      <div className="table-scroll">
        <table className="table ledger-table" role="table">
          <caption className="visually-hidden">Credit history, newest first</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">When</th>
              <th scope="col" role="columnheader">What</th>
              <th scope="col" role="columnheader" className="num">Change</th>
              <th scope="col" role="columnheader" className="num">Balance</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {entries.map((entry) => (
              <LedgerRow key={entry.id} entry={entry} by={(entry.member_id && memberNames?.get(entry.member_id)) || null} />
            ))}
          </tbody>
        </table>
      </div>
      {older && (
        <div className="button-row">
          <button type="button" className="button button--ghost" disabled={older.loading} aria-busy={older.loading} onClick={older.show}>
            {older.loading ? 'Loading…' : 'Show older'}
          </button>
        </div>
      )}
    </>
  );
}
