// How each kind of ledger row reads in the history table.
const KIND_LABELS: Record<string, string> = {
  purchase: 'Purchase',
  spend: 'Interview charge',
  refund: 'Refund',
  grant: 'Free credits',
  adjustment: 'Adjustment by support',
  expiration: 'Expired',
  reversal: 'Payment reversed',
};

export function ledgerKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}
