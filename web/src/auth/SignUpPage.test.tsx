// Sign-up's messages sit on the field they are about and go away when that field changes; what
// sign-up says afterwards is true whether or not the address already has an account.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AuthForm } from './AuthForm.tsx';
import { appError } from '../lib/appError.ts';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { API_URL, newClient, signUpUser, uniqueEmail } from '../../test/stack.ts';

afterEach(cleanup);

const emailInput = () => screen.getByLabelText('Email') as HTMLInputElement;
const passwordInput = () => screen.getByLabelText('Password') as HTMLInputElement;
const errorOf = (input: HTMLInputElement) => {
  const id = input.getAttribute('aria-describedby');
  return id ? document.getElementById(id)?.textContent ?? null : null;
};

describe('sign-up messages', () => {
  it('puts "already has an account" on the email, and drops it once the email changes', async () => {
    // The stand-in (like GoTrue with confirmations on) answers a taken address with "check your
    // email", so the form is fed the error a project without confirmations returns.
    const submitted: string[] = [];
    render(<MemoryRouter><AuthForm
      submitLabel="Create account" busyLabel="Creating account…" passwordAutocomplete="new-password"
      onSubmit={async ({ email }) => { submitted.push(email); return appError('email_taken'); }}
    /></MemoryRouter>);
    await userEvent.type(emailInput(), 'taken@example.test');
    await userEvent.type(passwordInput(), 'another-good-password');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(errorOf(emailInput())).toMatch(/^This email already has an account/));
    expect(emailInput().getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(passwordInput())).toBeNull();

    // New address, now the password is the problem: only the password says so.
    await userEvent.clear(emailInput());
    await userEvent.type(emailInput(), 'fresh@example.test');
    expect(errorOf(emailInput())).toBeNull();
    await userEvent.clear(passwordInput());
    await userEvent.type(passwordInput(), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(errorOf(passwordInput())).toBe('Use at least 8 characters.');
    expect(errorOf(emailInput())).toBeNull();
    expect(document.body.textContent).not.toMatch(/already has an account/);
    expect(submitted).toEqual(['taken@example.test']);
  });

  it('says a 300-character email is too long, on the email field', async () => {
    renderApp(await newClient(), '/sign-up');
    await userEvent.click(emailInput());
    await userEvent.paste(`${'a'.repeat(288)}@example.test`);
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(errorOf(emailInput())).toBe('Email addresses can be at most 254 characters.');
    expect(document.body.textContent).not.toMatch(/highlighted/);
  });

  it('asks for no password: the address is proven first', async () => {
    renderApp(await newClient(), '/sign-up');
    expect(screen.getByLabelText('Your name')).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
  });
});

/** What the panel says, with the address taken out: the same words for every address. */
async function afterSignUp(email: string): Promise<string> {
  renderApp(await newClient(), '/sign-up');
  await userEvent.type(screen.getByLabelText('Email'), email);
  await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
  const panel = await screen.findByTestId('check-your-email');
  const words = (panel.textContent ?? '').replaceAll(email, '<address>');
  cleanup();
  return words;
}

async function mailsTo(email: string): Promise<string[]> {
  const response = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(email)}`);
  return ((await response.json()) as { messages: { subject: string }[] }).messages.map((m) => m.subject);
}

describe('signing up with an address that already has an account', () => {
  it('says what may have happened, in the same words as for a new address, and a link does come', async () => {
    const existing = await signUpUser('signup-existing');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // max_frequency is 1 s
    const fresh = uniqueEmail('signup-fresh');
    const forExisting = await afterSignUp(existing.email);
    const forFresh = await afterSignUp(fresh);
    // Nobody learns from the page whether an address has an account...
    expect(forExisting).toBe(forFresh);
    // ...and it is honest for both: a new address gets a confirming link, an account a sign-in
    // link, and the usual ways in are offered.
    expect(forFresh).toMatch(/If the address is new, the link confirms it/);
    expect(forFresh).toMatch(/If you already have an account with this address, the link signs you in/);
    expect(forFresh).toMatch(/sign in with your password or reset it/);
    renderApp(await newClient(), '/sign-up');
    await userEvent.type(screen.getByLabelText('Email'), existing.email);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await screen.findByTestId('check-your-email');
    expect(screen.getByRole('link', { name: 'sign in with your password' }).getAttribute('href')).toBe('/sign-in');
    expect(screen.getByRole('link', { name: 'reset it' }).getAttribute('href')).toBe('/forgot-password');
    // The account's owner is not left waiting for nothing: a link that signs in arrives.
    expect(await mailsTo(existing.email)).toContain('Your Magic Link');
    expect(await mailsTo(fresh)).toEqual(['Confirm Your Signup']);
  });
});
