// Sign-up's messages sit on the field they are about and go away when that field changes.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AuthForm } from './AuthForm.tsx';
import { appError } from '../lib/appError.ts';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { newClient } from '../../test/stack.ts';

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
    await userEvent.type(passwordInput(), 'a-good-password');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(errorOf(emailInput())).toBe('Email addresses can be at most 254 characters.');
    expect(document.body.textContent).not.toMatch(/highlighted/);
  });
});
