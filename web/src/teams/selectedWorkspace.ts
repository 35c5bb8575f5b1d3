// Which workspace this tab shows, remembered in sessionStorage per user: per TAB on purpose (two
// tabs may show two workspaces side by side, and switching in one must not move the other, as
// localStorage would), kept across a reload and a trip to the payment page, and forgotten with the
// tab. A link can name a workspace too (?workspace=<team id>, WorkspaceFromUrl): it sets this.
const key = (userId: string): string => `workspace:${userId}`;

/** The remembered team id, or null for the personal workspace. */
export function loadSelectedTeam(userId: string): string | null {
  try {
    const stored = window.sessionStorage.getItem(key(userId));
    return stored && /^[0-9a-f-]{36}$/i.test(stored) ? stored : null;
  } catch {
    return null; // storage blocked: the personal workspace
  }
}

export function saveSelectedTeam(userId: string, teamId: string | null): void {
  try {
    if (teamId) window.sessionStorage.setItem(key(userId), teamId);
    else window.sessionStorage.removeItem(key(userId));
  } catch {
    // storage blocked: the choice lasts as long as the page
  }
}
