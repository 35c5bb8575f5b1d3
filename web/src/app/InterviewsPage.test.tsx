// Cancel-and-return from the interviews list, against the real stack.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { grantCredits, serverBalance, serviceClient, signUpUser, type TestUser } from '../../test/stack.ts';

let user: TestUser;
beforeEach(async () => { user = await signUpUser('list'); });
afterEach(async () => {
  cleanup();
  await user.client.removeAllChannels();
});

describe('InterviewsPage', () => {
  it('cancels a scheduled interview and returns its reserved credits', async () => {
    await grantCredits(user.userId, 4);
    const { error } = await user.client.rpc('create_interview', {
      job_position: 'Site Reliability Engineer', duration_minutes: 90, interview_type: 'technical', idempotency_key: 'list-test-1',
    });
    expect(error).toBeNull();
    expect(await serverBalance(user.userId)).toBe(1);

    renderApp(user.client, '/interviews');
    const row = (await screen.findByText('Site Reliability Engineer')).closest('li') as HTMLElement;
    expect(row.getAttribute('data-status')).toBe('scheduled');
    expect(within(row).getByTestId('interview-credit-status').textContent).toBe('3 credits reserved');
    await waitFor(() => expect(screen.getByTestId('credit-reserved').textContent).toBe('3 reserved for interviews'));
    await userEvent.click(within(row).getByRole('button', { name: /cancel interview for site reliability engineer/i }));
    await userEvent.click(within(row).getByRole('button', { name: 'Yes, cancel it' }));
    await waitFor(() => expect(screen.getByText('Site Reliability Engineer').closest('li')?.getAttribute('data-status')).toBe('cancelled'));
    expect(within(row).getByTestId('interview-credit-status').textContent).toBe('3 credits returned');
    expect(await serverBalance(user.userId)).toBe(4);
    await waitFor(() => expect(screen.getByTestId('credit-balance').textContent).toBe('4'));
    await waitFor(() => expect(screen.queryByTestId('credit-reserved')).toBeNull());
    expect(screen.queryByRole('button', { name: /cancel interview/i })).toBeNull();
  });

  it('keeps keyboard focus in the row through cancel, keep, and confirm', async () => {
    await grantCredits(user.userId, 4);
    const { error } = await user.client.rpc('create_interview', {
      job_position: 'Data Engineer', duration_minutes: 30, interview_type: 'screening', idempotency_key: 'list-test-focus',
    });
    expect(error).toBeNull();
    renderApp(user.client, '/interviews');
    const row = (await screen.findByText('Data Engineer')).closest('li') as HTMLElement;
    const cancelButton = () => within(row).getByRole('button', { name: /cancel interview for data engineer/i });
    cancelButton().focus();
    await userEvent.keyboard('{Enter}');
    expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Keep' }));
    await userEvent.keyboard('{Enter}');
    expect(document.activeElement).toBe(cancelButton());
    await userEvent.keyboard('{Enter}');
    await userEvent.keyboard('{Shift>}{Tab}{/Shift}');
    expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Yes, cancel it' }));
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(row.getAttribute('data-status')).toBe('cancelled'));
    await waitFor(() => expect(document.activeElement?.textContent).toBe('cancelled'));
    expect(row.contains(document.activeElement)).toBe(true);
  });

  it('a started interview shows "in progress" with its credits reserved and offers no cancel', async () => {
    await grantCredits(user.userId, 4);
    const created = await user.client.rpc('create_interview', { job_position: 'Support Engineer', duration_minutes: 60 });
    expect(created.error).toBeNull();
    const service = await serviceClient();
    const started = await service.rpc('start_interview', { interview_id: (created.data as { interview_id: string }).interview_id });
    expect(started.error).toBeNull();

    renderApp(user.client, '/interviews');
    const row = (await screen.findByText('Support Engineer')).closest('li') as HTMLElement;
    expect(row.getAttribute('data-status')).toBe('in_progress');
    expect(within(row).getByText('in progress')).toBeTruthy();
    expect(within(row).getByTestId('interview-credit-status').textContent).toBe('In progress: 2 credits reserved');
    expect(within(row).queryByRole('button', { name: /cancel interview/i })).toBeNull();
  });

  it('a cancel overtaken by the candidate starting the interview says it has started and shows it running', async () => {
    await grantCredits(user.userId, 4);
    const created = await user.client.rpc('create_interview', { job_position: 'QA Lead', duration_minutes: 30 });
    expect(created.error).toBeNull();
    renderApp(user.client, '/interviews');
    const row = (await screen.findByText('QA Lead')).closest('li') as HTMLElement;
    await userEvent.click(within(row).getByRole('button', { name: /cancel interview for qa lead/i }));
    // The candidate opens it while the recruiter is confirming.
    const service = await serviceClient();
    await service.rpc('start_interview', { interview_id: (created.data as { interview_id: string }).interview_id });
    await userEvent.click(within(row).getByRole('button', { name: 'Yes, cancel it' }));
    expect(await within(row).findByText('This interview has started')).toBeTruthy();
    await waitFor(() => expect(row.getAttribute('data-status')).toBe('in_progress'));
    expect(within(row).getByTestId('interview-credit-status').textContent).toBe('In progress: 1 credit reserved');
    expect(await serverBalance(user.userId)).toBe(3);
  });

  it('invites a new recruiter to create a first interview', async () => {
    renderApp(user.client, '/interviews');
    expect(await screen.findByText(/no interviews yet/i)).toBeTruthy();
  });
});
