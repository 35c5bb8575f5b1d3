// The detail card of a running interview: its state in plain words, when it started, and that its
// credits are still reserved but no longer returnable.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { InterviewDetailCard } from './InterviewDetailCard.tsx';
import type { InterviewDetail } from './interviewTypes.ts';

afterEach(cleanup);

const running: InterviewDetail = {
  id: '7d1c7a4e-0000-4000-8000-000000000001', job_position: 'Backend engineer', job_description: null, duration_minutes: 60,
  interview_type: 'technical', status: 'in_progress', cost: 2, refunded_credits: 0, created_at: '2026-03-01T10:00:00Z',
  cancelled_at: null, completed_at: null, hold_expires_at: '2026-03-31T10:00:00Z', cancellation_reason: null,
  started_at: '2026-03-02T09:00:00Z',
};

describe('InterviewDetailCard', () => {
  it('shows a started interview as in progress, when it started, and its credits still reserved', () => {
    render(<InterviewDetailCard interview={running} />);
    expect(screen.getByText('in progress')).toBeTruthy();
    expect(screen.getByTestId('interview-credit-status').textContent).toBe('In progress: 2 credits reserved');
    expect(screen.getByText(/can no longer be cancelled/)).toBeTruthy();
    expect(screen.getByTestId('interview-started').textContent).not.toBe('');
  });
});
