// Sign-up as hosted projects run it, in a real browser: name and address → "check your email"
// → click the link in the local inbox page → signed in, "Choose your password" → the dashboard;
// the password then signs in. The same link again lands on sign-in saying it expired or was used.
// An address someone pre-claimed with their own password ends up the owner's. Screens at 1280
// and 390 px go to test-results/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/config.ts';
import { latestMailLink } from '../../scripts/lib/confirm-signup.ts';
import { launchBrowser, watchPageErrors } from './browser.ts';
import { API_URL, WEB_URL } from './stackUrls.ts';
import { choosePassword, signUpInBrowser, submitSignUp } from './signUp.ts';
import { anonClient } from '../../test-support/stack.ts';

const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const password = 'correct-horse-battery';
const pageErrors: string[] = [];
let browser: Browser;

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function signInWith(page: Page, email: string, secret: string): Promise<void> {
  await page.goto(`${WEB_URL}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('e-mail confirmation in the browser', () => {
  const email = `confirm-${Date.now()}@example.test`;
  let link = '';

  it('sign-up → check your email → the link in the inbox page → choose your password → dashboard', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await submitSignUp(page, email);
    expect(await page.getByTestId('check-your-email').textContent()).toContain(email);
    expect(await page.getByRole('button', { name: 'Send the link again' }).isVisible()).toBe(true);
    await shoot(page, 'check-email-desktop');

    await page.goto(`${API_URL}/inbox?to=${encodeURIComponent(email)}`);
    await page.getByRole('heading', { name: 'Confirm Your Signup' }).waitFor();
    link = await latestMailLink(API_URL, email);
    await shoot(page, 'inbox-desktop');
    await page.getByRole('link', { name: /\/auth\/v1\/verify\?token=/ }).click();

    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    const landed = new URL(page.url());
    expect(landed.origin).toBe(WEB_URL);
    expect(landed.pathname).toBe('/choose-password');
    // supabase-js took the session out of the fragment; no token stays in the address bar.
    expect(landed.hash).toBe('');
    await shoot(page, 'choose-password-desktop');
    // Asked again after a reload, until a password is chosen.
    await page.reload();
    await choosePassword(page, password);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.context().close();

    const again = await newPage(VIEWPORTS.desktop);
    await signInWith(again, email, password);
    await again.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await again.context().close();
  });

  it('the same link again lands on sign-in saying it expired or was used (phone)', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await page.goto(link);
    await page.waitForURL(/\/sign-in$/);
    const alert = page.locator('[data-error-code="link_expired"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/expired or was already used/i);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await shoot(page, 'link-expired-phone');
    await page.context().close();
  });

  it('phone: the check-your-email screen fits, and signing in unconfirmed offers a new link', async () => {
    const page = await newPage(VIEWPORTS.phone);
    const unconfirmed = `unconfirmed-${Date.now()}@example.test`;
    await submitSignUp(page, unconfirmed);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await shoot(page, 'check-email-phone');
    // An account signed up with a password by another client, never confirmed.
    const other = `unconfirmed-other-${Date.now()}@example.test`;
    await anonClient(API_URL).auth.signUp({ email: other, password });
    await signInWith(page, other, password);
    await page.locator('[data-error-code="email_not_confirmed"]').waitFor();
    expect(await page.getByRole('button', { name: 'Send the link again' }).isVisible()).toBe(true);
    await shoot(page, 'email-not-confirmed-phone');
    await page.context().close();
  });

  it('an address pre-claimed with a stranger\'s password becomes the owner\'s: the stranger\'s password is refused', async () => {
    const victim = `preclaimed-${Date.now()}@example.test`;
    const attackerPassword = 'attacker-knows-this';
    await anonClient(API_URL).auth.signUp({ email: victim, password: attackerPassword });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // max_frequency is 1 s
    const page = await newPage(VIEWPORTS.desktop);
    await signUpInBrowser(page, victim, password);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.context().close();

    const attacker = await newPage(VIEWPORTS.desktop);
    await signInWith(attacker, victim, attackerPassword);
    await attacker.locator('[data-error-code="invalid_credentials"]').waitFor();
    expect(new URL(attacker.url()).pathname).toBe('/sign-in');
    await attacker.context().close();
    expect(pageErrors).toEqual([]);
  });
});
