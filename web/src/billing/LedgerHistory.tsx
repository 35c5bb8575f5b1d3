// The user's credit history: purchases, spends and refunds, newest first.
import type { LedgerEntry } from './billingTypes.ts';
import { ledgerKindLabel } from './ledgerLabels.ts';
import { formatDateTime } from '../lib/format.ts';

export function LedgerHistory({ entries }: { entries: LedgerEntry[] }) {
  if (entries.length === 0) {
    return <p className="muted">No credit activity yet. Purchases, interview charges and refunds will show up here.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">Credit history, newest first</caption>
        <thead>
          <tr><th scope="col">When</th><th scope="col">What</th><th scope="col" className="num">Change</th><th scope="col" className="num">Balance</th></tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-kind={entry.kind}>
              <td>{formatDateTime(entry.created_at)}</td>
              <td>
                <span className={`tag tag--${entry.kind}`}>{ledgerKindLabel(entry.kind)}</span>
                {entry.reason && <span className="muted"> {entry.reason}</span>}
              </td>
              <td className={`num ${entry.delta > 0 ? 'positive' : 'negative'}`}>{entry.delta > 0 ? `+${entry.delta}` : entry.delta}</td>
              <td className="num">{entry.balance_after}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
