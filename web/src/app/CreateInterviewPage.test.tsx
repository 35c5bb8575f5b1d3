// The create-interview flow against the real stack: price from interview_cost, charge through
// create_interview, PT402 when the balance is short.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { grantCredits, interviewCount, serverBalance, signUpUser, type TestUser } from '../../test/stack.ts';

let user: TestUser;
beforeEach(async () => { user = await signUpUser('create'); });
afterEach(async () => {
  cleanup();
  window.sessionStorage.clear();
  await user.client.removeAllChannels();
});

async function fillPosition(position: string) {
  await userEvent.type(await screen.findByLabelText('Job position'), position);
}

describe('CreateInterviewPage', () => {
  it('shows the price from interview_cost before submitting, and updates it with the duration', async () => {
    renderApp(user.client, '/interviews/new');
    await waitFor(() => expect(screen.getByTestId('interview-cost').getAttribute('data-cost')).toBe('1'));
    await userEvent.selectOptions(screen.getByLabelText('Duration'), '90');
    await waitFor(() => expect(screen.getByTestId('interview-cost').getAttribute('data-cost')).toBe('3'));
    expect(screen.getByRole('button', { name: /create interview \(3 credits\)/i })).toBeTruthy();
  });

  it('with 0 credits disables the submit with the reason beside it and leads to buying, keeping the draft', async () => {
    renderApp(user.client, '/interviews/new');
    await fillPosition('Data Engineer');
    const short = await screen.findByTestId('short-of-credits');
    expect(short.textContent).toMatch(/you need 1 credit more to create this interview/i);
    const submit = screen.getByRole('button', { name: /create interview/i });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    expect(submit.getAttribute('aria-describedby')).toBe('create-disabled-reason');
    await userEvent.click(within(short).getByRole('link', { name: 'Buy credits' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/billing?return=%2Finterviews%2Fnew'));
    expect(window.sessionStorage.getItem(`interview-draft:${user.userId}`)).toContain('Data Engineer');
    expect(await interviewCount(user.userId)).toBe(0);
  });

  it('when the balance drops after the form was shown, the server refuses with PT402 and nothing is charged', async () => {
    renderApp(user.client, '/interviews/new');
    await fillPosition('Data Engineer');
    await screen.findByTestId('short-of-credits');
    // A second tab spending the last credit is the same as submitting past the disabled button.
    fireEvent.submit(screen.getByRole('form', { name: 'Create interview' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('insufficient_credits');
    expect(alert.textContent).toMatch(/costs 1 credit and you have 0 credits/i);
    expect(alert.textContent).toMatch(/nothing was created/i);
    expect(await interviewCount(user.userId)).toBe(0);
    expect(await serverBalance(user.userId)).toBe(0);
  });

  it('creates the interview and reserves its credits in one call, then lists it as reserved', async () => {
    await grantCredits(user.userId, 5);
    renderApp(user.client, '/interviews/new');
    await fillPosition('Platform Engineer');
    await userEvent.selectOptions(screen.getByLabelText('Duration'), '60');
    await userEvent.selectOptions(screen.getByLabelText('Interview type'), 'behavioral');
    await waitFor(() => expect(screen.getByTestId('interview-cost').getAttribute('data-cost')).toBe('2'));
    await userEvent.click(screen.getByRole('button', { name: /create interview/i }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/interviews'));
    expect(await screen.findByText('Platform Engineer')).toBeTruthy();
    expect(screen.getByTestId('created-notice').textContent).toMatch(/^\s*Interview created: 2 credits reserved until it takes place\. Cancel it before then and they come back\.\s*$/);
    // Not gone: 3 available, 2 reserved for the interview, in the sidebar.
    await waitFor(() => expect(screen.getByTestId('credit-balance').textContent).toBe('3'));
    await waitFor(() => expect(screen.getByTestId('credit-reserved').textContent).toBe('2 reserved for interviews'));
    const row = screen.getByText('Platform Engineer').closest('li') as HTMLElement;
    expect(within(row).getByTestId('interview-credit-status').textContent).toBe('2 credits reserved');
    expect(await serverBalance(user.userId)).toBe(3);
  });

  it('charges once when the button is clicked twice', async () => {
    await grantCredits(user.userId, 5);
    renderApp(user.client, '/interviews/new');
    await fillPosition('Double Clicker');
    await waitFor(() => expect(screen.getByTestId('interview-cost').getAttribute('data-cost')).toBe('1'));
    const form = screen.getByRole('form', { name: 'Create interview' });
    fireEvent.submit(form);
    fireEvent.submit(form);
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/interviews'));
    expect(await interviewCount(user.userId)).toBe(1);
    expect(await serverBalance(user.userId)).toBe(4);
  });

  it('checks the fields before calling the server', async () => {
    await grantCredits(user.userId, 1);
    renderApp(user.client, '/interviews/new');
    await screen.findByLabelText('Job position');
    await userEvent.click(screen.getByRole('button', { name: /create interview/i }));
    expect(await screen.findByText('Enter the job position.')).toBeTruthy();
    expect(screen.getByLabelText('Job position').getAttribute('aria-invalid')).toBe('true');
    expect(await interviewCount(user.userId)).toBe(0);
  });
});
