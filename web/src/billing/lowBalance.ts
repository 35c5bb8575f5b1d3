// At or below this many credits the sidebar warns: enough for at most one or two short interviews.
export const LOW_BALANCE_THRESHOLD = 2;

export function isLowBalance(credits: number): boolean {
  return credits <= LOW_BALANCE_THRESHOLD;
}
