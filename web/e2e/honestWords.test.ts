// Issue 12, "Words that say what happened", at 1280x800 and 390x844: every message matches its
// cause and sits on its field, counts use plural rules, "spent" means one thing, a payment is
// announced once and only when the page's numbers include it, nothing is cut silently, and the
// billing words say one-time packs. Screenshots go to test-results/screenshots/words-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/config.ts';
import { grantCredits, signUpUser, type SignedUpUser } from '../../test-support/stack.ts';
import { launchBrowser, watchPageErrors } from './browser.ts';
import { API_URL, WEB_URL } from './stackUrls.ts';

const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const pageErrors: string[] = [];
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function openPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  return page;
}

async function signIn(page: Page, user: SignedUpUser): Promise<void> {
  await page.goto(`${WEB_URL}/sign-in`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `words-${name}.png`), fullPage: true });
}

/** The text of the element that describes `label`'s control (its field message), or null. */
async function fieldMessage(page: Page, label: string): Promise<string | null> {
  return page.getByLabel(label, { exact: true }).evaluate((input) => {
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    const texts = ids.map((id) => document.getElementById(id)?.textContent ?? '').filter(Boolean);
    return texts.length > 0 ? texts.join(' | ') : null;
  });
}

for (const [width, viewport] of Object.entries(VIEWPORTS)) {
  describe(`words that say what happened (${width})`, () => {
    it('sign-up: a too-long e-mail is said on the email field, never "check the highlighted fields"', async () => {
      const page = await openPage(viewport);
      await page.goto(`${WEB_URL}/sign-up`);
      await page.getByLabel('Your name').fill('n'.repeat(201));
      await page.getByLabel('Email').fill(`${'a'.repeat(288)}@example.test`);
      await page.getByRole('button', { name: 'Create account' }).click();
      expect(await fieldMessage(page, 'Email')).toBe('Email addresses can be at most 254 characters.');
      expect(await fieldMessage(page, 'Your name')).toBe('Use at most 200 characters.');
      // Fixing the e-mail removes its message; the name's stays, because it is still true.
      await page.getByLabel('Email').fill('new-recruiter@example.test');
      expect(await fieldMessage(page, 'Email')).toBeNull();
      expect(await fieldMessage(page, 'Your name')).toBe('Use at most 200 characters.');
      expect(await page.locator('body').textContent()).not.toMatch(/highlighted|already has an account/);
      await shoot(page, `sign-up-${width}`);
      await page.context().close();
    });

    it('create interview: counters as they type, a NUL character named on its field, "1 credit charged"', async () => {
      const user = await signUpUser(`words-${width}`, API_URL);
      await grantCredits(user.user.id, 3, API_URL);
      const page = await openPage(viewport);
      await signIn(page, user);
      await page.goto(`${WEB_URL}/interviews/new`);

      // Nothing is cut: 205 characters stay in the field and the counter says how many are too many.
      await page.getByLabel('Job position').fill('P'.repeat(205));
      expect(await page.getByLabel('Job position').inputValue()).toHaveLength(205);
      expect(await fieldMessage(page, 'Job position')).toBe('205 / 200 characters: 5 characters over the limit. Shorten it to save.');
      await page.getByLabel('Job description (optional)').fill(`Owns the API.\u0000${'d'.repeat(5001)}`);
      expect(await page.getByLabel('Job description (optional)').inputValue()).toHaveLength(5015);
      await page.getByRole('button', { name: /create interview/i }).click();
      expect(await fieldMessage(page, 'Job position')).toMatch(/can be at most 200 characters/);
      expect(await fieldMessage(page, 'Job description (optional)')).toMatch(/^The description contains a character we can't store/);
      expect(await page.locator('body').textContent()).not.toMatch(/highlighted/);
      await shoot(page, `create-interview-errors-${width}`);

      // Each message goes when its field is fixed; at the limit the counter says so.
      await page.getByLabel('Job position').fill('P'.repeat(200));
      expect(await fieldMessage(page, 'Job position')).toBe('200 / 200 characters: the limit.');
      await page.getByLabel('Job position').fill('Site Reliability Engineer');
      await page.getByLabel('Job description (optional)').fill('Owns the API.');
      expect(await fieldMessage(page, 'Job description (optional)')).toBe('13 / 5,000 characters');
      await page.getByLabel('Duration').selectOption('15');
      expect(await page.getByLabel('Duration').locator('option').allTextContents()).toContain('15 minutes');
      await page.getByTestId('interview-cost').and(page.locator('[data-cost="1"]')).waitFor();
      expect(await page.getByTestId('interview-cost').textContent())
        .toBe('This interview costs 1 credit. You have 3 credits available. They are reserved when you create it, spent only once it takes place, and returned if you cancel.');
      await page.getByRole('button', { name: 'Create interview (1 credit)' }).click();
      await page.getByText('Interview created: 1 credit reserved until it takes place.').waitFor();
      expect(await page.locator('body').textContent()).not.toMatch(/credit were|credits was/);
      await shoot(page, `interview-created-${width}`);

      // Cancel it: its reserved credit comes back, nothing was spent, in the totals and in the chart, with one label.
      await page.getByRole('button', { name: /^Cancel interview for Site Reliability Engineer/ }).click();
      await page.getByRole('button', { name: 'Yes, cancel it' }).click();
      await page.getByText('1 credit returned').waitFor();
      await page.goto(`${WEB_URL}/billing`);
      await page.locator('tbody tr[data-kind="release"]').waitFor();
      const spent = await page.getByTestId('summary-spent').textContent();
      expect(spent).toBe('0 credits');
      expect(await page.getByText('Spent on interviews (net of refunds)', { exact: true }).count()).toBe(1);
      expect(await page.getByTestId('spend-chart-caption').textContent())
        .toBe('Spent on interviews (net of refunds), last 14 days: 0 credits (0 credits in all)');
      await shoot(page, `billing-net-spent-${width}`);
      await page.context().close();
    });

    it('billing and checkout: one-time wording, price per credit, a payment announced once and when reflected', async () => {
      const user = await signUpUser(`words-pay-${width}`, API_URL);
      const page = await openPage(viewport);
      await signIn(page, user);
      await page.goto(`${WEB_URL}/billing`);
      // At zero: "No credits", not "Low balance".
      expect(await page.getByTestId('balance-warning').textContent()).toBe('No credits: add some to create interviews.');
      expect(await page.locator('body').textContent()).not.toMatch(/low balance/i);
      // One-off packs never read like a subscription; quick add shows the price per credit.
      expect(await page.getByRole('button', { name: /choose plan/i }).count()).toBe(0);
      await page.getByRole('button', { name: 'Buy Starter: 25 credits for $20.00' }).waitFor();
      expect(await page.getByRole('button', { name: 'Buy Starter: 25 credits for $20.00' }).textContent()).toBe('Buy 25 credits');
      expect(await page.getByTestId('plans-one-time').textContent()).toMatch(/not subscriptions/);
      expect(await page.getByRole('button', { name: /add 5 credits/i }).textContent()).toBe('Add 5 credits$5.00 · $1.00 per credit');
      expect(await page.getByRole('button', { name: /add 10 credits/i }).textContent()).toBe('Add 10 credits$9.00 · $0.90 per credit');
      await shoot(page, `billing-zero-${width}`);

      // Checkout says "5 credits" once.
      await page.getByRole('button', { name: /add 5 credits/i }).click();
      await page.waitForURL(/\/checkout\/local\?session_id=cs_/);
      await page.getByTestId('checkout-amount').waitFor();
      const order = await page.locator('.order-summary').textContent();
      expect(order?.match(/5 credits/g)).toHaveLength(1);
      expect(order).not.toMatch(/Plan/);
      await shoot(page, `checkout-${width}`);

      // While the page's totals don't yet include the payment, it never says "Payment complete".
      const seen: string[] = [];
      await page.exposeFunction('recordBanner', (text: string) => { seen.push(text); });
      // The return to /billing is a client-side navigation: the observer set up here sees it all.
      await page.evaluate(() => {
        new MutationObserver(() => {
          const banner = document.querySelector('[data-checkout-state]');
          const purchased = [...document.querySelectorAll('.stats dt')].find((dt) => dt.textContent === 'Purchased')?.nextElementSibling?.textContent;
          if (banner) (window as unknown as { recordBanner(text: string): void }).recordBanner(`${banner.getAttribute('data-checkout-state')}|${purchased ?? ''}`);
        }).observe(document, { subtree: true, childList: true, characterData: true });
      });
      await page.getByRole('button', { name: 'Pay $5.00' }).click();
      await page.waitForURL(/\/billing\?checkout=success&session_id=cs_/);
      await page.locator('[data-checkout-state="success"]').waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-checkout-state="success"]').textContent()).toMatch(/^Payment complete5 credits added to your balance\./);
      const successes = seen.filter((entry) => entry.startsWith('success|'));
      expect(successes.length).toBeGreaterThan(0);
      expect(successes.every((entry) => entry === 'success|5 credits')).toBe(true);
      // The history row names what was bought, once.
      const purchaseRow = await page.locator('tbody tr[data-kind="purchase"]').first().textContent();
      expect(purchaseRow).toMatch(/Purchase 5-credit pack/);
      expect(purchaseRow).not.toMatch(/Purchase of/);
      await shoot(page, `payment-complete-${width}`);

      // Reloading the success URL does not announce the same payment again.
      await page.reload();
      await page.getByTestId('billing-balance').and(page.getByText('5', { exact: true })).waitFor();
      await page.waitForURL(`${WEB_URL}/billing`);
      expect(await page.locator('[data-checkout-state]').count()).toBe(0);
      expect(await page.getByText('Payment complete').count()).toBe(0);
      await shoot(page, `billing-after-reload-${width}`);
      await page.context().close();
    });

    it('a cancelled payment has Dismiss inside its banner; a bad checkout link has a way back', async () => {
      const user = await signUpUser(`words-links-${width}`, API_URL);
      const page = await openPage(viewport);
      await signIn(page, user);
      await page.goto(`${WEB_URL}/billing?checkout=cancelled`);
      const banner = page.locator('[data-checkout-state="cancelled"] .alert');
      await banner.waitFor();
      expect(await banner.getByRole('button', { name: 'Dismiss' }).count()).toBe(1);
      const [outer, button] = await Promise.all([banner.boundingBox(), banner.getByRole('button', { name: 'Dismiss' }).boundingBox()]);
      expect(button!.x).toBeGreaterThanOrEqual(outer!.x);
      expect(button!.x + button!.width).toBeLessThanOrEqual(outer!.x + outer!.width);
      expect(button!.y + button!.height).toBeLessThanOrEqual(outer!.y + outer!.height);
      await shoot(page, `billing-cancelled-${width}`);
      await banner.getByRole('button', { name: 'Dismiss' }).click();
      await page.waitForURL(`${WEB_URL}/billing`);

      for (const link of ['/checkout/local', '/checkout/local?session_id=cs_local_does_not_exist']) {
        await page.goto(`${WEB_URL}${link}`);
        await page.getByRole('alert').waitFor();
        expect(await page.getByRole('alert').textContent()).toMatch(/^This checkout link does not work/);
        await shoot(page, `checkout-invalid-${link.includes('session') ? 'unknown' : 'missing'}-${width}`);
        await page.getByRole('link', { name: 'Back to billing' }).click();
        await page.getByRole('heading', { name: 'Billing' }).waitFor();
      }
      await page.context().close();
      expect(pageErrors).toEqual([]);
    });
  });
}
