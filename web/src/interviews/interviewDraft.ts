// The create form's draft, kept in sessionStorage per user while they go and buy credits: the
// checkout leaves the SPA, so component state would be lost. Only this tab sees it, and a draft
// another user left in the same tab is never shown.
import { DURATION_OPTIONS, INTERVIEW_TYPES, type InterviewType } from './interviewSchema.ts';
import type { InterviewFormValues } from './InterviewForm.tsx';

const key = (userId: string): string => `interview-draft:${userId}`;

export function loadDraft(userId: string): InterviewFormValues | null {
  try {
    const stored: unknown = JSON.parse(window.sessionStorage.getItem(key(userId)) ?? 'null');
    if (typeof stored !== 'object' || stored === null) return null;
    const draft = stored as Record<string, unknown>;
    const { jobPosition, jobDescription, durationMinutes, interviewType } = draft;
    if (typeof jobPosition !== 'string' || typeof jobDescription !== 'string') return null;
    if (!(DURATION_OPTIONS as readonly number[]).includes(durationMinutes as number)) return null;
    if (!(INTERVIEW_TYPES as readonly string[]).includes(interviewType as string)) return null;
    return { jobPosition, jobDescription, durationMinutes: durationMinutes as number, interviewType: interviewType as InterviewType };
  } catch {
    return null; // storage unavailable or a corrupt entry: start empty
  }
}

export function saveDraft(userId: string, values: InterviewFormValues): void {
  try {
    window.sessionStorage.setItem(key(userId), JSON.stringify(values));
  } catch {
    // storage full or blocked: the draft lives only as long as the page
  }
}

export function clearDraft(userId: string): void {
  try {
    window.sessionStorage.removeItem(key(userId));
  } catch {
    // nothing to clear
  }
}

/** Forgets every user's draft in this tab (on sign-out: a shared machine keeps nothing typed). */
export function clearAllDrafts(): void {
  try {
    const drafts = Array.from({ length: window.sessionStorage.length }, (_, i) => window.sessionStorage.key(i))
      .filter((name): name is string => name?.startsWith(key('')) ?? false);
    for (const name of drafts) window.sessionStorage.removeItem(name);
  } catch {
    // storage unavailable: nothing was kept
  }
}
