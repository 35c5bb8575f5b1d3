// One definition of "spent" for every place that shows it (the totals and the chart): credits
// charged for interviews minus the credits refunded when interviews were cancelled. A cancelled
// interview cost nothing in the end, so counting its charge would make the two disagree.
export const SPENT_LABEL = 'Spent on interviews (net of refunds)';

export function netSpent(totals: { total_spent: number; total_refunded: number }): number {
  return totals.total_spent - totals.total_refunded;
}
