// What expires next, from billing_summary().expiring (soonest first): "12 credits expire on Jan 3,
// 2027". Nothing at all when no credits expire, so a balance that never expires carries no notice.
// Any value the database can hold reads as something: 'infinity' is "never" (no notice), a date
// past or '-infinity' is "now" (the expiry run takes them within a minute), year 294276 is shown
// as written, an unreadable one as "on an unknown date".
import { formatCredits, formatDayOrTime } from '../lib/format.ts';
import { dbTimeValue, parseDbTime } from '../lib/dbTime.ts';
import { pluralNoun, type Noun } from '../lib/plural.ts';
import type { ExpiringLot } from './billingSchemas.ts';

function when(expiresAt: string, now: Date): string {
  return dbTimeValue(parseDbTime(expiresAt)) <= now.getTime() ? 'now' : formatDayOrTime(expiresAt, now);
}

// The verb agrees with the count by the same plural rules as the noun: "1 credit expires".
const EXPIRE: Noun = { one: 'expires', other: 'expire' };

export function ExpiryNotice({ expiring, now = new Date() }: { expiring: ExpiringLot[]; now?: Date }) {
  const [next, ...later] = expiring.filter((lot) => lot.credits > 0 && parseDbTime(lot.expires_at).kind !== 'never');
  if (!next) return null;
  return (
    <div className="expiry-notice" role="note" data-testid="expiry-notice">
      <p className="expiry-notice__next">
        {formatCredits(next.credits)} {pluralNoun(next.credits, EXPIRE)} {when(next.expires_at, now)}.
      </p>
      {later.length > 0 && (
        <p className="expiry-notice__later muted">
          Then {later.map((lot) => `${formatCredits(lot.credits)} ${when(lot.expires_at, now)}`).join(', ')}.
        </p>
      )}
    </div>
  );
}
