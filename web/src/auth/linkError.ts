// An e-mail link that failed comes back as `#error=...&error_code=...&error_description=...`
// (GoTrue's implicit-flow redirect). Read once at start-up, before routing drops the fragment.
import { appError, type AppError } from '../lib/appError.ts';

export function linkErrorFromHash(hash: string): AppError | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (!params.get('error') && !params.get('error_code')) return null;
  // GoTrue's link failures (otp_expired, a spent or unknown token) all mean: this link is no good, get a new one.
  return appError('link_expired');
}

/** The fragment is spent once read: a reload must not show the same failure again. */
export function clearHash(): void {
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
}
