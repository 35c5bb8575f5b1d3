// What the local portal says after each of its buttons, from the subscription as read again after
// the action: what changed, in the terms the billing page uses.
import { formatDate } from '../lib/format.ts';
import type { LocalSubscriptionAction } from './subscriptionApi.ts';
import type { SubscriptionRow } from './subscriptionApi.ts';

export function portalOutcome(action: LocalSubscriptionAction['action'], row: SubscriptionRow, planName: string): string {
  const end = formatDate(row.current_period_end);
  switch (action) {
    case 'renew': return `Renewed: a new period started, and it renews next on ${end}.`;
    case 'fail_renewal': return 'The renewal payment failed: the subscription is past due until the card is updated.';
    case 'cancel_at_period_end': return `Cancelled: it ends on ${end}, and its credits last until then.`;
    case 'resume': return `Resumed: it renews on ${end}.`;
    case 'cancel_now': return 'Cancelled now: the subscription has ended.';
    case 'change_plan': return `Changed to ${planName}.`;
    default: return 'Done.';
  }
}
