// The browser tab names the page first ("Billing · AI Interview Scheduler"), so a recruiter with
// several tabs open, their history and a screen reader announcing the navigation can tell them apart.
import { useEffect } from 'react';

export const APP_NAME = 'AI Interview Scheduler';

export function pageTitle(title: string): string {
  return title ? `${title} · ${APP_NAME}` : APP_NAME;
}

/** Sets document.title while the calling page is shown; every route calls it once. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = pageTitle(title);
  }, [title]);
}
