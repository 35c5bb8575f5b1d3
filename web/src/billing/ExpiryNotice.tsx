// What expires next, from billing_summary().expiring (soonest first): "12 credits expire on Jan 3,
// 2027". Nothing at all when no credits expire, so a balance that never expires carries no notice.
import { formatCredits, formatDayOrTime } from '../lib/format.ts';
import { pluralNoun, type Noun } from '../lib/plural.ts';
import type { BillingSummary } from './billingSchemas.ts';

type Expiring = BillingSummary['expiring'];

// The verb agrees with the count by the same plural rules as the noun: "1 credit expires".
const EXPIRE: Noun = { one: 'expires', other: 'expire' };

export function ExpiryNotice({ expiring, now = new Date() }: { expiring: Expiring; now?: Date }) {
  const [next, ...later] = expiring;
  if (!next) return null;
  return (
    <div className="expiry-notice" role="note" data-testid="expiry-notice">
      <p className="expiry-notice__next">
        {formatCredits(next.credits)} {pluralNoun(next.credits, EXPIRE)} {formatDayOrTime(next.expires_at, now)}.
      </p>
      {later.length > 0 && (
        <p className="expiry-notice__later muted">
          Then {later.map((lot) => `${formatCredits(lot.credits)} ${formatDayOrTime(lot.expires_at, now)}`).join(', ')}.
        </p>
      )}
    </div>
  );
}
