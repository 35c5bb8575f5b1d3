// The e-mail confirmation states with the real auth server (config.toml confirms addresses):
// sign-up (name and address, no password) asks the user to check their e-mail and can resend, sign-in before confirming explains
// and offers a new link, a spent or expired link lands on sign-in saying so in plain words.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { API_URL, newClient, uniqueEmail } from '../../test/stack.ts';

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});

const PASSWORD = 'correct-horse-battery';

async function mailCount(email: string): Promise<number> {
  const response = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(email)}`);
  return ((await response.json()) as { messages: unknown[] }).messages.length;
}

async function fillAndSubmit(email: string, password: string, button: string) {
  await userEvent.type(screen.getByLabelText('Email'), email);
  await userEvent.type(screen.getByLabelText('Password'), password);
  await userEvent.click(screen.getByRole('button', { name: button }));
}

async function signUpOnThePage(email: string) {
  await userEvent.type(screen.getByLabelText('Your name'), 'Casey Check');
  await userEvent.type(screen.getByLabelText('Email'), email);
  await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
}

describe('e-mail confirmation', () => {
  it('after sign-up says where the link went, and resending sends a new one', async () => {
    const email = uniqueEmail('check');
    renderApp(await newClient(), '/sign-up');
    await signUpOnThePage(email);
    const panel = await screen.findByTestId('check-your-email');
    expect(panel.textContent).toMatch(/check your email/i);
    expect(panel.textContent).toContain(email);
    expect(screen.getByTestId('location').textContent).toBe('/sign-up');
    expect(await mailCount(email)).toBe(1);

    // max_frequency is 1 s: asking again at once is refused kindly, a moment later it works.
    await userEvent.click(screen.getByRole('button', { name: 'Send the link again' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/wait a few seconds/i);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await userEvent.click(screen.getByRole('button', { name: 'Send the link again' }));
    expect((await screen.findByText(/we sent a new link to/i)).textContent).toContain(email);
    expect(await mailCount(email)).toBe(2);
  });

  it('signing in before confirming explains it and offers a new link', async () => {
    const email = uniqueEmail('unconfirmed');
    const client = await newClient();
    await client.auth.signUp({ email, password: PASSWORD });
    renderApp(await newClient(), '/sign-in');
    await fillAndSubmit(email, PASSWORD, 'Sign in');
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('email_not_confirmed');
    expect(alert.textContent).toMatch(/confirm your email first/i);
    expect(screen.getByRole('button', { name: 'Send the link again' })).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/sign-in');
  });

  it('an expired or spent link lands on sign-in saying so, once', async () => {
    window.history.replaceState(null, '', '/#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired');
    renderApp(await newClient(), '/');
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/sign-in'));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('link_expired');
    expect(alert.textContent).toMatch(/expired or was already used/i);
    expect(window.location.hash).toBe('');
  });
});
