// The SPA's sign-up from a browser test: name and address, the mailed link (opened as a mail
// client would), then "Choose your password", the step that follows every sign-up link.
import type { Page } from 'playwright-core';
import { openConfirmationLink } from './inbox.ts';
import { WEB_URL } from './stackUrls.ts';

/** Fills and sends the sign-up form; waits for "check your email". */
export async function submitSignUp(page: Page, email: string, name = 'Robin Recruiter'): Promise<void> {
  await page.goto(`${WEB_URL}/sign-up`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('check-your-email').waitFor();
}

/** On "Choose your password" (where the sign-up link lands): saves `password`. */
export async function choosePassword(page: Page, password: string): Promise<void> {
  await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Save password' }).click();
}

/** The whole sign-up: form, link, password; the page then shows where the user was headed. */
export async function signUpInBrowser(page: Page, email: string, password: string): Promise<void> {
  await submitSignUp(page, email);
  await openConfirmationLink(page, email);
  await choosePassword(page, password);
}
