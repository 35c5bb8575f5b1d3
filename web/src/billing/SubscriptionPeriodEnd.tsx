// What happens at the end of the current period to the credits this subscription granted and are
// still left: on a plan that expires them, how many will expire; on a rollover plan, how many roll
// over (up to the plan's cap, with their own expiry) and how many expire.
import { formatCredits, formatDate } from '../lib/format.ts';
import { pluralNoun, type Noun } from '../lib/plural.ts';
import type { SubscriptionStatus } from './subscriptionSchemas.ts';

const EXPIRE: Noun = { one: 'expires', other: 'expire' };
const ROLL: Noun = { one: 'rolls', other: 'roll' };

export function SubscriptionPeriodEnd({ subscription }: { subscription: SubscriptionStatus }) {
  const { current_period_end: end, expiring_at_period_end: expiring, rolling_over_at_period_end: rolling } = subscription;
  if (!end) return null;
  const on = formatDate(end);
  const parts: string[] = [];
  if (rolling > 0) {
    parts.push(`${formatCredits(rolling)} ${pluralNoun(rolling, ROLL)} over`
      + `${subscription.rollover_expires_at ? ` and ${rolling === 1 ? 'stays' : 'stay'} usable until ${formatDate(subscription.rollover_expires_at)}` : ''}`);
  }
  if (expiring > 0) parts.push(`${formatCredits(expiring)} ${pluralNoun(expiring, EXPIRE)} unless used`);
  return (
    <p className="subscription-card__period-end" data-testid="subscription-period-end">
      {parts.length === 0
        ? `None of this period’s credits are left, so nothing expires on ${on}.`
        : `At the end of this period (${on}): ${parts.join('; ')}.`}
    </p>
  );
}
