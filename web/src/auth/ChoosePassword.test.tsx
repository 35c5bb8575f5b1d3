// After the sign-up link the user is signed in without a password (it is chosen after the address
// is proven): every page sends them to "Choose your password" first, then back where they were;
// the password then signs in. Users who have one are never asked.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { configuredMinimumPasswordLength, followConfirmationLink, latestMailLink, API_URL, newClient, signUpUser, uniqueEmail } from '../../test/stack.ts';
import { MIN_PASSWORD_LENGTH } from './credentialsSchema.ts';
import type { AppSupabaseClient } from '../lib/supabaseClient.ts';

afterEach(cleanup);

/** Signs up on the page, then follows the mailed link the way the browser would hand it to supabase-js. */
async function signedUpByLink(email: string): Promise<AppSupabaseClient> {
  const client = await newClient();
  renderApp(client, '/sign-up');
  await userEvent.type(screen.getByLabelText('Your name'), 'Pat Password');
  await userEvent.type(screen.getByLabelText('Email'), email);
  await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
  await screen.findByTestId('check-your-email');
  cleanup();
  const { error } = await client.auth.setSession(await followConfirmationLink(await latestMailLink(API_URL, email)));
  if (error) throw error;
  return client;
}

describe('choose your password', () => {
  it('comes first after the sign-up link, then the page asked for; the password signs in', async () => {
    const email = uniqueEmail('choose');
    const client = await signedUpByLink(email);
    renderApp(client, '/billing');
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/choose-password'));
    expect((await screen.findByRole('heading', { name: 'Choose your password' })).textContent).toBeTruthy();
    expect(document.body.textContent).toContain(email);
    await userEvent.type(screen.getByLabelText('Password'), 'chosen-after-the-link');
    await userEvent.click(screen.getByRole('button', { name: 'Save password' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/billing'));
    const again = await (await newClient()).auth.signInWithPassword({ email, password: 'chosen-after-the-link' });
    expect(again.error).toBeNull();
  });

  it('refuses a password shorter than config.toml requires before calling the server', async () => {
    expect(MIN_PASSWORD_LENGTH).toBe(configuredMinimumPasswordLength());
    const client = await signedUpByLink(uniqueEmail('choose-short'));
    renderApp(client, '/');
    await screen.findByRole('heading', { name: 'Choose your password' });
    await userEvent.type(screen.getByLabelText('Password'), 'x'.repeat(MIN_PASSWORD_LENGTH - 1));
    await userEvent.click(screen.getByRole('button', { name: 'Save password' }));
    expect(await screen.findByText(`Use at least ${MIN_PASSWORD_LENGTH} characters.`)).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/choose-password');
  });

  it('is never shown to a user who has a password', async () => {
    const user = await signUpUser('has-password');
    renderApp(user.client, '/choose-password');
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/'));
  });
});
