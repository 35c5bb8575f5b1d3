// When a balance is "low". A workspace may set its own low-balance alert (set_low_balance_alert,
// read with the balance): below it, every open tab shows the banner (LowBalanceBanner) and the
// owner(s) got a mail when the balance crossed it. Without one, the sidebar and the top bar still
// warn below a small default: enough for at most one or two short interviews.
export const DEFAULT_LOW_BALANCE_THRESHOLD = 3;

/** Whether the balance badges warn: below the workspace's alert, or below the default without one. */
export function isLowBalance(credits: number, threshold: number | null = null): boolean {
  return credits < (threshold ?? DEFAULT_LOW_BALANCE_THRESHOLD);
}

/**
 * Whether the low-balance banner shows: only for a workspace that set an alert, while the
 * available credits are below it. Derived from the live balance and the threshold, so it appears
 * and goes as the balance moves (a spend, a purchase, a release) in every open tab.
 */
export function showsLowBalanceBanner(credits: number | null, threshold: number | null): boolean {
  return credits !== null && threshold !== null && credits < threshold;
}
