// Where to send the user back after a detour (buying credits from the create form). Only a
// same-origin path is ever accepted, so a crafted ?return= link can never become an open redirect.
const STORAGE_KEY = 'return-after-checkout';

/** `value` if it is a path on this origin ("/interviews/new"), else null ("//evil.test", "https://…", "javascript:"). */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.length > 200) return null;
  try {
    const origin = window.location.origin;
    const url = new URL(value, origin);
    return url.origin === origin ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

/** `/billing?return=<path>`: the billing link that brings the user back to `path` after paying. */
export function billingLinkReturningTo(path: string): string {
  return `/billing?${new URLSearchParams({ return: path }).toString()}`;
}

export function rememberReturnPath(value: string | null | undefined): void {
  const path = safeReturnPath(value);
  try {
    if (path) window.sessionStorage.setItem(STORAGE_KEY, path);
  } catch {
    // storage blocked: no way back is offered, the user navigates themselves
  }
}

export function pendingReturnPath(): string | null {
  try {
    return safeReturnPath(window.sessionStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

export function forgetReturnPath(): void {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}
