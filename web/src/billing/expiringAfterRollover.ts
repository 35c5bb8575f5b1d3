// The balance card's "what expires next" with the subscription's rollover taken into account:
// billing_summary lists the subscription's lot as expiring at period end, but the part that rolls
// over (subscription_status.rolling_over_at_period_end) lives on until rollover_expires_at. Without
// this the card would say "100 credits expire on Jan 8" beside "50 of them roll over".
import type { ExpiringLot } from './billingSchemas.ts';
import type { SubscriptionStatus } from './subscriptionSchemas.ts';
import { dbTimeValue, parseDbTime } from '../lib/dbTime.ts';

const time = (value: string) => dbTimeValue(parseDbTime(value));

export function expiringAfterRollover(expiring: ExpiringLot[], subscription: SubscriptionStatus | null | undefined): ExpiringLot[] {
  const rolling = subscription?.rolling_over_at_period_end ?? 0;
  const end = subscription?.current_period_end ? time(subscription.current_period_end) : NaN;
  const until = subscription?.rollover_expires_at;
  if (rolling <= 0 || Number.isNaN(end) || !until) return expiring;
  const index = expiring.findIndex((lot) => time(lot.expires_at) === end);
  if (index < 0) return expiring;
  const moved = Math.min(rolling, expiring[index].credits);
  const left = expiring[index].credits - moved;
  const rest = expiring.filter((_, i) => i !== index);
  const next = [...(left > 0 ? [{ ...expiring[index], credits: left }] : []), ...rest, { expires_at: until, credits: moved }];
  // Soonest first, as billing_summary sends them; equal times keep their order.
  return next.sort((a, b) => time(a.expires_at) - time(b.expires_at));
}
