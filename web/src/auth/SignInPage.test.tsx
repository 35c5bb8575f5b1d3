// Sign-in, guards and failure messages with the real auth server (and a real closed port).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { closedUrl, newClient, signUpUser } from '../../test/stack.ts';

afterEach(cleanup);

async function submit(email: string, password: string) {
  await userEvent.type(screen.getByLabelText('Email'), email);
  await userEvent.type(screen.getByLabelText('Password'), password);
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in', () => {
  it('sends a signed-out visitor to sign-in and back to the page they wanted', async () => {
    const existing = await signUpUser('signin');
    await existing.client.auth.signOut({ scope: 'local' });
    const client = await newClient();
    renderApp(client, '/billing');
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/sign-in'));
    await submit(existing.email, existing.password);
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/billing'));
    expect(await screen.findByRole('heading', { name: 'Billing' })).toBeTruthy();
    await client.removeAllChannels();
  });

  it('says the password is wrong in plain words', async () => {
    const existing = await signUpUser('wrongpw');
    renderApp(await newClient(), '/sign-in');
    await submit(existing.email, 'not-the-password');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/wrong email or password/i);
  });

  it('says the server cannot be reached when the network is down', async () => {
    renderApp(await newClient(await closedUrl()), '/sign-in');
    await submit('someone@example.test', 'whatever-password');
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('network');
    expect(alert.textContent).toMatch(/can't reach the server/i);
  });

  it('validates the email before calling the server', async () => {
    renderApp(await newClient(await closedUrl()), '/sign-in');
    await submit('not-an-email', 'whatever-password');
    expect(await screen.findByText(/enter a valid email address/i)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
