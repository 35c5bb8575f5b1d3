// What an interview did with its credits, in the words the list and the detail page share:
// scheduled = reserved (set aside, not spent), in_progress = still reserved but no longer
// returnable (the candidate started it), completed = spent, cancelled = returned, and a hold that
// lapsed (the interview did not take place in time) = returned, saying why.
import { formatCount, NOUNS } from '../lib/plural.ts';
import { formatCredits } from '../lib/format.ts';
import type { Interview } from './interviewTypes.ts';

type CreditFacts = Pick<Interview, 'status' | 'cost' | 'refunded_credits' | 'created_at' | 'hold_expires_at' | 'cancellation_reason'>;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The hold's lifetime when the row does not say (CONTRACT14: created_at + 30 days). */
const DEFAULT_HOLD_DAYS = 30;

function holdDays(interview: CreditFacts): number {
  if (!interview.hold_expires_at) return DEFAULT_HOLD_DAYS;
  const days = Math.round((Date.parse(interview.hold_expires_at) - Date.parse(interview.created_at)) / DAY_MS);
  // A date no Date can hold ('infinity', year 294276) gives NaN: say the usual lifetime, not "NaN days".
  return Number.isFinite(days) ? days : DEFAULT_HOLD_DAYS;
}

/** Credits an ended interview gave back: what the row recorded, else its whole cost (a released hold). */
function returned(interview: CreditFacts): number {
  return interview.refunded_credits > 0 ? interview.refunded_credits : interview.cost;
}

export function interviewCreditStatus(interview: CreditFacts): string {
  switch (interview.status) {
    case 'scheduled':
      return `${formatCredits(interview.cost)} reserved`;
    case 'in_progress':
      return `In progress: ${formatCredits(interview.cost)} reserved`;
    case 'completed':
      return `${formatCredits(interview.cost)} spent`;
    case 'cancelled':
      return interview.cancellation_reason === 'hold_lapsed'
        ? `Not held in ${formatCount(holdDays(interview), NOUNS.day)}: ${formatCredits(returned(interview))} returned`
        : `${formatCredits(returned(interview))} returned`;
    default:
      return `cost ${formatCredits(interview.cost)}`;
  }
}

/** The longer sentence for the detail page and the row's tooltip. */
export function interviewCreditExplanation(interview: CreditFacts): string {
  switch (interview.status) {
    case 'scheduled':
      return 'Reserved until the interview takes place; returned to your balance if you cancel it.';
    case 'in_progress':
      return 'The candidate has started this interview, so it can no longer be cancelled; its reserved credits are spent when it ends.';
    case 'completed':
      return 'The interview took place: its reserved credits were spent.';
    case 'cancelled':
      return interview.cancellation_reason === 'hold_lapsed'
        ? `The interview did not take place within ${formatCount(holdDays(interview), NOUNS.day)} of being created, so its credits went back to your balance.`
        : 'The interview was cancelled, so its credits went back to your balance.';
    default:
      return '';
  }
}
