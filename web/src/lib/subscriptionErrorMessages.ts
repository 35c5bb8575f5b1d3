// Plain words for the subscriptions' stable error codes (supabase/README.md, subscriptions), raised
// by the SQL functions and passed on by the checkout, billing-portal and local-subscription
// functions. Kept apart like the team words; errorMessages.ts merges them in.
import type { ErrorText } from './errorMessages.ts';

export const SUBSCRIPTION_ERROR_MESSAGES = {
  subscription_exists: {
    title: 'There is already a subscription',
    message: 'This workspace already has a subscription. Change its plan with Manage subscription instead of starting a second one.',
  },
  plan_not_subscription: {
    title: 'That plan is not a subscription',
    message: 'Pick one of the monthly or yearly plans shown under Subscription, or buy a pack as a one-time payment.',
  },
  no_subscription: {
    title: 'There is no subscription to change',
    message: 'It may have ended already. Go back to billing to see the workspace’s subscription, or start a new one.',
  },
  team_has_subscription: {
    title: 'The team still has a subscription',
    message: 'Cancel it first with Manage subscription on the team’s billing page; once it has ended the team can be deleted. A subscription checkout started in the last 24 hours counts too: the team can be deleted once it has expired.',
  },
  // A subscription plan sold as a one-time pack (the database refuses it): only a stale page can ask.
  plan_is_subscription: {
    title: 'That plan is a subscription',
    message: 'Reload the billing page and use Subscribe under Subscription; it is not sold as a one-time pack.',
  },
} as const satisfies Record<string, ErrorText>;

export type SubscriptionErrorCode = keyof typeof SUBSCRIPTION_ERROR_MESSAGES;

export function isSubscriptionErrorCode(value: string): value is SubscriptionErrorCode {
  return Object.prototype.hasOwnProperty.call(SUBSCRIPTION_ERROR_MESSAGES, value);
}
