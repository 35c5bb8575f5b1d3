import { TEAM_ERROR_MESSAGES } from './teamErrorMessages.ts';
import { SUBSCRIPTION_ERROR_MESSAGES } from './subscriptionErrorMessages.ts';

// Plain words for every failure the app can meet, keyed by a stable code. Components render
// these; they never show a raw error object or a server message the user can't act on.
export type ErrorAction = 'retry' | 'sign_in' | 'billing';

export interface ErrorText {
  title: string;
  message: string;
  action?: ErrorAction;
}

export const ERROR_MESSAGES = {
  network: {
    title: "Can't reach the server",
    message: 'Check your internet connection and try again. Nothing was changed.',
    action: 'retry',
  },
  // An Edge Function (checkout, local checkout) failed or could not be reached: every function of
  // this app is a payment step, and none charges before it succeeds.
  payment_unavailable: {
    title: 'The payment service is unavailable',
    message: 'Nothing was charged. Please try again in a few minutes; if it keeps happening, contact support.',
    action: 'retry',
  },
  session_expired: {
    title: 'Your session has expired',
    message: 'Please sign in again to continue.',
    action: 'sign_in',
  },
  insufficient_credits: {
    title: 'Not enough credits',
    message: 'Add credits on the billing page, then try again. Nothing was charged.',
    action: 'billing',
  },
  payment_cancelled: {
    title: 'Payment cancelled',
    message: 'You were not charged. You can choose a plan again whenever you are ready.',
  },
  server: {
    title: 'Something went wrong on our side',
    message: 'The server could not finish the request. Please try again in a moment.',
    action: 'retry',
  },
  not_allowed: {
    title: 'You are not allowed to do that',
    message: 'This belongs to another account. Sign in with the right account and try again.',
  },
  invalid_credentials: {
    title: 'Wrong email or password',
    message: 'Check your email and password and try again.',
  },
  email_taken: {
    title: 'This email already has an account',
    message: 'Sign in instead, or use a different email.',
  },
  weak_password: {
    title: 'Password too weak',
    message: 'Choose a longer password (at least 8 characters).',
  },
  same_password: {
    title: 'That is your current password',
    message: 'Choose a new password, different from the one you have now.',
  },
  email_not_confirmed: {
    title: 'Confirm your email first',
    message: 'When you signed up we emailed you a link. Open it to finish creating your account, or send yourself a new one.',
  },
  link_expired: {
    title: 'This link has expired or was already used',
    message: 'Confirmation links work once and only for an hour. If you already confirmed, sign in. If not, sign in with your email and we will offer to send a new link.',
  },
  email_rate_limited: {
    title: 'Email just sent',
    message: 'Wait a few seconds before asking for another one.',
  },
  invalid_input: {
    title: 'Some details are not valid',
    // Says nothing about "highlighted fields": forms put a field's own message on the field, and
    // this one is shown only when the server refused something no field can be pointed at.
    message: 'The server could not accept what was sent. Check what you entered and try again.',
  },
  unsupported_character: {
    title: 'A character we can\'t store',
    message: 'Remove the invisible control character (often pasted from another program) and try again.',
  },
  email_invalid: {
    title: 'This email address is not valid',
    message: 'Check the email address and try again.',
  },
  checkout_link_invalid: {
    title: 'This checkout link does not work',
    message: 'It is missing its session, or the session belongs to another account. Start again from the billing page.',
  },
  unknown_plan: {
    title: 'That plan is no longer available',
    message: 'Reload the page and pick one of the plans shown.',
  },
  unknown_interview: {
    title: 'Interview not found',
    message: 'It may have been removed. Reload the list to see your current interviews.',
  },
  interview_in_progress: {
    title: 'This interview has started',
    message: 'The candidate has opened it, so it can no longer be cancelled; its reserved credits are spent when it ends.',
  },
  interview_not_cancellable: {
    title: 'This interview can no longer be cancelled',
    message: 'Only scheduled interviews can be cancelled and refunded.',
  },
  conflict: {
    title: 'This request was already sent with different details',
    message: 'Reload the page and try again.',
  },
  rate_limited: {
    title: 'Too many requests',
    message: 'Wait a few seconds and try again.',
    action: 'retry',
  },
  unknown: {
    title: 'Something went wrong',
    message: 'Please try again. If it keeps happening, contact support.',
    action: 'retry',
  },
  ...TEAM_ERROR_MESSAGES,
  ...SUBSCRIPTION_ERROR_MESSAGES,
} as const satisfies Record<string, ErrorText>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, value);
}
