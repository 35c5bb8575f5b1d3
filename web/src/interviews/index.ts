// The interviews feature's public surface: what app/ pages may use. The feature's styles come with it.
import './interviews.css';

export { CostTable } from './CostTable.tsx';
export { InterviewForm, type InterviewFormValues } from './InterviewForm.tsx';
export { InterviewCostNotice } from './InterviewCostNotice.tsx';
export { InterviewRow } from './InterviewRow.tsx';
export { validateInterview, type InterviewFieldErrors } from './interviewSchema.ts';
export { useInterviewCost } from './useInterviewCost.ts';
export { useInterviews } from './useInterviews.ts';
export { createInterview } from './interviewsApi.ts';
export { clearAllDrafts, clearDraft, loadDraft, saveDraft } from './interviewDraft.ts';
export { useInterview } from './useInterview.ts';
export { InterviewDetailCard } from './InterviewDetailCard.tsx';
