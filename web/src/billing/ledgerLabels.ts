// How each ledger row reads in the history: a short label for its tag, and for rows that move
// reserved credits or take credits away without a purchase, a sentence in plain words.
// delta moves the available part, reserved_delta the reserved one (supabase/README.md):
//   hold     delta -n, reserved +n   an interview was created: its credits are set aside
//   release  delta +n, reserved -n   it was cancelled (or never held in time): they come back
//   spend    delta  0, reserved -n   it took place: the set-aside credits are spent (a capture)
//   spend    delta -n                a direct charge (before holds, or deduct_credits)
import { formatCredits } from '../lib/format.ts';
import type { LedgerEntry } from './billingTypes.ts';

const KIND_LABELS: Record<string, string> = {
  purchase: 'Purchase',
  spend: 'Interview charge',
  refund: 'Refund',
  grant: 'Free credits',
  adjustment: 'Adjustment by support',
  expiration: 'Expired',
  reversal: 'Payment reversed',
  hold: 'Reserved',
  release: 'Returned',
};

export function ledgerKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

type Row = Pick<LedgerEntry, 'kind' | 'delta' | 'reserved_delta'>;

/** A capture: the credits an interview held are spent; the available part does not move. */
export function isCapture(entry: Row): boolean {
  return entry.kind === 'spend' && entry.delta === 0 && entry.reserved_delta < 0;
}

export interface LedgerWords {
  label: string;
  /** What happened, in a sentence; null when the label says it all (a purchase). */
  summary: string | null;
}

export function describeLedgerEntry(entry: Row): LedgerWords {
  if (isCapture(entry)) {
    return { label: 'Completed', summary: `Interview completed: ${formatCredits(-entry.reserved_delta)} spent from reserved` };
  }
  switch (entry.kind) {
    case 'hold':
      return { label: ledgerKindLabel('hold'), summary: `Reserved for interview: ${formatCredits(-entry.delta)} set aside until it takes place` };
    case 'release':
      return { label: ledgerKindLabel('release'), summary: `${formatCredits(entry.delta)} back: the interview did not take place` };
    case 'expiration':
      return { label: ledgerKindLabel('expiration'), summary: `${formatCredits(-entry.delta)} expired unused` };
    default:
      return { label: ledgerKindLabel(entry.kind), summary: null };
  }
}
