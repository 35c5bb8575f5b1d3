// Signs a recruiter in through the SPA's sign-in form (the account made beforehand through the API).
import type { Page } from 'playwright-core';
import { WEB_URL } from './stackUrls.ts';

export async function signInInBrowser(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${WEB_URL}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}
