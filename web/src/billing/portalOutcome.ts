// What the local portal says after each of its buttons, from the subscription as it was and as
// read again after the action: what changed, in the terms the billing page uses.
import { formatDate } from '../lib/format.ts';
import type { LocalSubscriptionAction, SubscriptionRow } from './subscriptionApi.ts';

export function portalOutcome(action: LocalSubscriptionAction['action'], before: SubscriptionRow | null, after: SubscriptionRow, planName: string): string {
  const end = formatDate(after.current_period_end);
  if (after.status === 'canceled' && action !== 'cancel_now') return 'The period ended, and the subscription with it (it was set to end at period end).';
  switch (action) {
    case 'renew':
      // local-subscription's renew of a past-due subscription pays the failed invoice (same period).
      return before?.status === 'past_due'
        ? `The failed payment went through: the subscription is active again and renews on ${end}.`
        : `Renewed: a new period started, and it renews next on ${end}.`;
    case 'fail_renewal': return 'The renewal payment failed: the subscription is past due until the card is updated.';
    case 'cancel_at_period_end': return `Cancelled: it ends on ${end}, and its credits last until then.`;
    case 'resume': return `Resumed: it renews on ${end}.`;
    case 'cancel_now': return 'Cancelled now: the subscription has ended.';
    case 'change_plan': return `Changed to ${planName}.`;
    default: return 'Done.';
  }
}
