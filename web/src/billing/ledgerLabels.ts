// How each ledger row reads in the history: a short label for its tag, and for rows that move
// reserved credits or let credits expire, how many in plain words. The row's reason (written by
// the database: "Reserved for interview: <position>", "Interview cancelled: …", "Not held in time,
// credits back: …", "Expired unused: <lot>") follows it and says which interview or lot.
// delta moves the available part, reserved_delta the reserved one (supabase/README.md):
//   hold     delta -n, reserved +n   an interview was created: its credits are set aside
//   release  delta +n, reserved -n   it was cancelled (or never held in time): they come back
//   spend    delta  0, reserved -n   it took place: the set-aside credits are spent (a capture)
//   spend    delta -n                a direct charge (before holds, or deduct_credits)
//   rollover delta  0                at a period's end, unused credits moved into a later-expiring lot
//                                    (the reason says how many: "Rolled over: 20 credits of …")
import { formatCredits } from '../lib/format.ts';
import type { LedgerEntry } from './billingTypes.ts';

const KIND_LABELS: Record<string, string> = {
  purchase: 'Purchase',
  spend: 'Interview charge',
  refund: 'Interview refunded',
  grant: 'Free credits',
  adjustment: 'Adjustment by support',
  expiration: 'Expired',
  reversal: 'Payment reversed',
  hold: 'Reserved',
  release: 'Returned',
  // A subscription lot's unused credits moved into a rollover lot at period end (delta 0); the
  // reason says how many and from which lot.
  rollover: 'Rolled over',
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
    return { label: 'Interview completed', summary: `${formatCredits(-entry.reserved_delta)} spent from reserved` };
  }
  switch (entry.kind) {
    case 'hold':
      return { label: ledgerKindLabel('hold'), summary: `${formatCredits(-entry.delta)} held until the interview takes place` };
    case 'release':
      return { label: ledgerKindLabel('release'), summary: `${formatCredits(entry.delta)} back to available` };
    case 'expiration':
      return { label: ledgerKindLabel('expiration'), summary: `${formatCredits(-entry.delta)} expired` };
    case 'rollover':
      return { label: ledgerKindLabel('rollover'), summary: 'Unused credits carried into the next period' };
    default:
      return { label: ledgerKindLabel(entry.kind), summary: null };
  }
}
