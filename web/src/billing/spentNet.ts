// One definition of "spent" for every place that shows it (the totals and the chart): credits
// charged for interviews minus what was refunded of those charges (add_credits kind refund names
// the interview it refunds). A cancelled interview was never charged (its hold is released).
export const SPENT_LABEL = 'Spent on interviews (net of refunds)';

export function netSpent(totals: { total_spent: number; total_refunded: number }): number {
  // The database keeps refunded <= spent (a refund names an interview and never exceeds its
  // charge); the floor keeps a figure from an older server from ever reading "-3 credits".
  return Math.max(0, totals.total_spent - totals.total_refunded);
}
