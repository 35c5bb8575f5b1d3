// The recruiter's journey in a real browser, with a second tab of the same user watching:
// sign up → confirm the mailed link → blocked at 0 credits → buy 10 through the local checkout → both tabs show 10 →
// set a low-balance alert of 9 → create an interview → both tabs drop by its cost (reserved) and the
// other tab shows the low-balance banner → cancel it → both tabs get it back and the banner goes.
// The second tab is never reloaded: it must follow every change through Realtime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, waitForSidebarBalance, watchPageErrors } from './browser.ts';
import { balanceOf, interviewsOf } from './serviceRole.ts';
import { signUpInBrowser } from './signUp.ts';
import { WEB_URL } from './stackUrls.ts';

/** How long the watching tab may take to show a change made in the other tab. */
const CROSS_TAB_LIMIT_MS = 1000;

const email = `e2e-${Date.now()}@example.test`;
const password = 'correct-horse-battery';
const pageErrors: string[] = [];
let browser: Browser;
let context: BrowserContext;
let tabA: Page;
let tabB: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(10_000);
  tabA = await context.newPage();
  watchPageErrors(tabA, pageErrors);
});

afterAll(async () => {
  await browser?.close();
});

describe('credits across two tabs', () => {
  it('signs up, confirms the mailed link, chooses a password and lands on the dashboard with 0 credits and a no-credits warning', async () => {
    await signUpInBrowser(tabA, email, password);
    await tabA.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await waitForSidebarBalance(tabA, 0, 5000);
    expect(await tabA.getByText('No credits left.').isVisible()).toBe(true);
  });

  it('keeps the session across a reload', async () => {
    await tabA.reload();
    await tabA.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(new URL(tabA.url()).pathname).toBe('/');
  });

  it('with 0 credits, creating an interview is disabled with the reason and leads to billing', async () => {
    await tabA.getByRole('navigation').getByRole('link', { name: 'Create Interview', exact: true }).click();
    await tabA.getByLabel('Job position').fill('Staff Engineer');
    const short = tabA.getByTestId('short-of-credits');
    await short.waitFor();
    expect(await tabA.getByRole('button', { name: /create interview/i }).isDisabled()).toBe(true);
    await short.getByRole('link', { name: 'Buy credits' }).click();
    await tabA.getByRole('heading', { name: 'Billing' }).waitFor();
    expect(new URL(tabA.url()).pathname).toBe('/billing');
    expect(await interviewsOf(email)).toEqual([]);
  });

  it('opens a second tab of the same user that shows the same balance', async () => {
    tabB = await context.newPage();
    watchPageErrors(tabB, pageErrors);
    await tabB.goto(`${WEB_URL}/billing`);
    await tabB.getByRole('heading', { name: 'Billing' }).waitFor();
    await waitForSidebarBalance(tabB, 0, 5000);
    // A marker that survives only as long as the page is never reloaded.
    await tabB.evaluate(() => { (window as unknown as { neverReloaded: boolean }).neverReloaded = true; });
  });

  it('buys 10 credits through the local checkout; the other tab follows without a reload', async () => {
    // Tab A is in front from here on; tab B stays in the background, as a second tab would.
    await tabA.bringToFront();
    await tabA.getByRole('button', { name: /add 10 credits/i }).click();
    await tabA.waitForURL(/\/checkout\/local\?session_id=cs_/);
    expect(await tabA.getByTestId('checkout-credits').textContent()).toMatch(/^10 credits /);
    expect(await tabA.getByTestId('checkout-amount').textContent()).toBe('$9.00');
    await tabA.getByRole('button', { name: 'Pay $9.00' }).click();
    await tabA.waitForURL(/\/billing\?checkout=success&session_id=cs_/);
    await tabA.locator('[data-checkout-state="success"]').waitFor({ timeout: 15_000 });
    const paidAt = Date.now();
    await waitForSidebarBalance(tabA, 10, 5000);
    const latency = await waitForSidebarBalance(tabB, 10, CROSS_TAB_LIMIT_MS);
    console.log(`second tab showed the purchase within ${Date.now() - paidAt} ms of the success message (waited ${latency} ms)`);
    expect(await balanceOf(email)).toBe(10);
    expect(await tabB.getByTestId('billing-balance').textContent()).toBe('10');
  });

  it('sets a low-balance alert of 9 credits on the billing page; 10 is not below it: no banner', async () => {
    await tabA.getByLabel('Warn below').fill('9');
    await tabA.getByRole('button', { name: 'Save alert' }).click();
    await tabA.getByTestId('low-balance-current').and(tabA.getByText(/below 9 credits/)).waitFor();
    expect(await tabB.getByTestId('low-balance-banner').count()).toBe(0);
  });

  it('creates an interview; both tabs drop by its cost, and the other tab shows the low-balance banner', async () => {
    await tabA.getByRole('navigation').getByRole('link', { name: 'Create Interview', exact: true }).click();
    await tabA.getByLabel('Job position').fill('Staff Engineer');
    await tabA.getByLabel('Duration').selectOption('60');
    await tabA.getByLabel('Interview type').selectOption('screening');
    await tabA.getByTestId('interview-cost').and(tabA.locator('[data-cost="2"]')).waitFor();
    await tabA.getByRole('button', { name: /create interview \(2 credits\)/i }).click();
    await tabA.getByText('Interview created: 2 credits reserved until it takes place.').waitFor();
    await waitForSidebarBalance(tabA, 8, 5000);
    await waitForSidebarBalance(tabB, 8, CROSS_TAB_LIMIT_MS);
    // Derived from the live balance and the alert: no reload, no extra read.
    await tabB.getByTestId('low-balance-banner').and(tabB.getByText(/8 credits left, below your alert of 9 credits/)).waitFor({ timeout: CROSS_TAB_LIMIT_MS });
    expect(await balanceOf(email)).toBe(8);
    expect(await interviewsOf(email)).toEqual([{ status: 'scheduled', cost: 2 }]);
  });

  it('cancels the interview; both tabs get the refund and the banner goes', async () => {
    const row = tabA.locator('li[data-status="scheduled"]', { hasText: 'Staff Engineer' });
    await row.getByRole('button', { name: /cancel interview for staff engineer/i }).click();
    await row.getByRole('button', { name: 'Yes, cancel it' }).click();
    await tabA.locator('li[data-status="cancelled"]', { hasText: 'Staff Engineer' }).waitFor();
    await waitForSidebarBalance(tabA, 10, 5000);
    await waitForSidebarBalance(tabB, 10, CROSS_TAB_LIMIT_MS);
    await tabB.getByTestId('low-balance-banner').waitFor({ state: 'detached', timeout: CROSS_TAB_LIMIT_MS });
    expect(await balanceOf(email)).toBe(10);
  });

  it('the second tab was never reloaded and shows the whole history', async () => {
    expect(await tabB.evaluate(() => (window as unknown as { neverReloaded?: boolean }).neverReloaded)).toBe(true);
    // History follows the balance a moment later (it is re-read after the change arrives).
    await tabB.locator('tbody tr[data-kind="release"]').waitFor({ timeout: 5000 });
    const kinds = await tabB.locator('tbody tr[data-kind]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
    expect(kinds).toEqual(['release', 'hold', 'purchase']);
    expect(pageErrors).toEqual([]);
  });

  it('signing out ends the session in both tabs', async () => {
    await tabA.getByRole('button', { name: 'Sign out' }).click();
    await tabA.waitForURL(/\/sign-in$/);
    // Signing out on purpose is not an expired session: no warning.
    expect(await tabA.getByRole('alert').count()).toBe(0);
    await tabB.goto(`${WEB_URL}/billing`);
    await tabB.waitForURL(/\/sign-in$/);
    expect(await tabB.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
  });
});
