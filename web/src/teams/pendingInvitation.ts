// An invitation link opened while signed out: its token waits here while the invitee signs in or
// signs up. Signing up goes through a mailed link that opens in a new tab and lands on the
// dashboard, so the token is kept in localStorage (shared by the browser's tabs, unlike
// sessionStorage) and taken back, once, by the first signed-in page (PendingInvitationRedirect).
const KEY = 'pending-invitation';

export function savePendingInvitation(token: string): void {
  try {
    window.localStorage.setItem(KEY, token);
  } catch {
    // storage blocked: the invitee opens the link again after signing in
  }
}

/** Returns the waiting token and forgets it. */
export function takePendingInvitation(): string | null {
  try {
    const token = window.localStorage.getItem(KEY);
    window.localStorage.removeItem(KEY);
    return token && /^[A-Za-z0-9_-]{10,200}$/.test(token) ? token : null;
  } catch {
    return null;
  }
}

export function clearPendingInvitation(): void {
  try {
    window.localStorage.removeItem(KEY);
  } catch {
    // nothing to clear
  }
}
