// The user's credit history: purchases, spends and refunds, newest first. On phones each row
// stacks (when on top, then what, change and balance) so the balance never hides off-screen;
// the explicit roles keep it a table for screen readers once CSS changes its display.
import type { LedgerEntry } from './billingTypes.ts';
import { ledgerKindLabel } from './ledgerLabels.ts';
import { formatDateTime } from '../lib/format.ts';
import { ClampedText } from '../ui/ClampedText.tsx';

/** Older rows exist: a "Show older" button reads the next keyset page (the billing page only). */
export interface OlderRows {
  loading: boolean;
  show(): void;
}

export function LedgerHistory({ entries, older }: { entries: LedgerEntry[]; older?: OlderRows }) {
  if (entries.length === 0) {
    return <p className="muted">No credit activity yet. Purchases, interview charges and refunds will show up here.</p>;
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
              <tr key={entry.id} role="row" data-kind={entry.kind}>
                <td role="cell" className="ledger-table__when">{formatDateTime(entry.created_at)}</td>
                <td role="cell" className="ledger-table__what">
                  <span className={`tag tag--${entry.kind}`}>{ledgerKindLabel(entry.kind)}</span>
                  {entry.reason && <> <ClampedText className="muted ledger-table__reason" text={entry.reason} lines={2} /></>}
                </td>
                <td role="cell" data-label="Change" className={`num ${entry.delta > 0 ? 'positive' : 'negative'}`}>
                  {entry.delta > 0 ? `+${entry.delta}` : entry.delta}
                </td>
                <td role="cell" data-label="Balance" className="num" data-testid="ledger-balance">{entry.balance_after}</td>
              </tr>
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
