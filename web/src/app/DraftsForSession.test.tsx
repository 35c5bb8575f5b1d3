// Signing out forgets the create-interview drafts kept in this tab: the next person at a shared
// machine finds nothing the last one typed. (Real stack: a real sign-up and a real sign-out.)
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { signUpUser } from '../../test/stack.ts';

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
});

describe('drafts and the session', () => {
  it('a draft survives while signed in and is gone after sign-out', async () => {
    const user = await signUpUser('drafts');
    const draft = JSON.stringify({ jobPosition: 'Staff engineer', jobDescription: 'secret plans', durationMinutes: 30, interviewType: 'technical' });
    window.sessionStorage.setItem(`interview-draft:${user.userId}`, draft);
    window.sessionStorage.setItem('unrelated', 'kept');
    renderApp(user.client, '/');
    await screen.findByRole('heading', { name: 'Dashboard' });
    expect(window.sessionStorage.getItem(`interview-draft:${user.userId}`)).toBe(draft);
    await userEvent.click((await screen.findAllByRole('button', { name: 'Sign out' }))[0]);
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/sign-in'), { timeout: 10_000 });
    expect(window.sessionStorage.getItem(`interview-draft:${user.userId}`)).toBeNull();
    expect(window.sessionStorage.getItem('unrelated')).toBe('kept');
    await user.client.removeAllChannels();
  });
});
