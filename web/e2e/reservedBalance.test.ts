// The balance in two parts, live in two tabs of one recruiter, and expiry on the billing page:
// create an interview in tab 1 → both tabs show available down and reserved up within a second;
// the interview takes place (complete_interview, service role) → reserved back to 0 in both;
// a lot that expires in 2 s shows as "… expire today at …" and, once billing.expire_credit_lots()
// has run (what the expire-credit-lots job calls), as an expiration row in plain words. Long values (999,999 credits) are shot at desktop
// and phone size into test-results/screenshots/reserved-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/config.ts';
import { closeDb, db, serviceClient, signUpUser, type SignedUpUser } from '../../test-support/stack.ts';
import { launchBrowser, waitForSidebarBalance, watchPageErrors } from './browser.ts';
import { horizontalOverflow } from './horizontalOverflow.ts';
import { WEB_URL } from './stackUrls.ts';

const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
/** How long the watching tab may take to show a change made elsewhere. */
const CROSS_TAB_LIMIT_MS = 1000;

const pageErrors: string[] = [];
let browser: Browser;
let context: BrowserContext;
let tabA: Page;
let tabB: Page;
let user: SignedUpUser;
let interviewId: string;

async function addCredits(amount: number, extra: Record<string, unknown> = {}): Promise<void> {
  const { error } = await serviceClient().rpc('add_credits', { user_id: user.user.id, amount, kind: 'grant', reason: 'Test grant', ...extra });
  if (error) throw new Error(`add_credits failed: ${error.code} ${error.message}`);
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${WEB_URL}/sign-in`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** Waits until the sidebar's reserved line reads `text`, or is gone when `text` is null. */
async function waitForReserved(page: Page, text: string | null, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (expected) => (document.querySelector('[data-testid="credit-reserved"]')?.textContent ?? null) === expected,
    text,
    { timeout: timeoutMs, polling: 20 },
  );
}

/** What is on screen (not the whole page: a hundred history rows would shrink it past reading). */
async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `reserved-${name}.png`) });
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  user = await signUpUser('reserved');
  await addCredits(10);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: VIEWPORTS.desktop });
  context.setDefaultTimeout(10_000);
  tabA = await context.newPage();
  watchPageErrors(tabA, pageErrors);
  await signIn(tabA);
  tabB = await context.newPage();
  watchPageErrors(tabB, pageErrors);
  await tabB.goto(`${WEB_URL}/billing`);
  await tabB.getByRole('heading', { name: 'Billing' }).waitFor();
  await waitForSidebarBalance(tabB, 10, 5000);
});

afterAll(async () => {
  await browser?.close();
  await closeDb();
});

describe('available and reserved, live in two tabs', () => {
  it('nothing reserved: one number, no "reserved" clutter', async () => {
    expect(await tabB.getByTestId('credit-reserved').count()).toBe(0);
    expect(await tabB.getByTestId('billing-reserved').count()).toBe(0);
  });

  it('creating an interview reserves its credits: both tabs show available down, reserved up', async () => {
    await tabA.bringToFront();
    await tabA.getByRole('navigation').getByRole('link', { name: 'Create Interview', exact: true }).click();
    await tabA.getByLabel('Job position').fill('Staff Engineer');
    await tabA.getByLabel('Duration').selectOption('60');
    await tabA.getByLabel('Interview type').selectOption('screening');
    await tabA.getByTestId('interview-cost').and(tabA.locator('[data-cost="2"]')).waitFor();
    expect(await tabA.getByTestId('interview-cost').textContent()).toMatch(/reserved when you create it, spent only once it takes place, and returned if you cancel/);
    await tabA.getByRole('button', { name: /create interview \(2 credits\)/i }).click();
    const created = Date.now();
    await tabA.getByTestId('created-notice').waitFor();
    expect(await tabA.getByTestId('created-notice').textContent()).toMatch(/Interview created: 2 credits reserved until it takes place/);
    await waitForSidebarBalance(tabB, 8, CROSS_TAB_LIMIT_MS);
    await waitForReserved(tabB, '2 reserved for interviews', Math.max(1, CROSS_TAB_LIMIT_MS - (Date.now() - created)));
    await waitForSidebarBalance(tabA, 8, 1000);
    await waitForReserved(tabA, '2 reserved for interviews', 1000);
    expect(await tabB.getByTestId('billing-balance').textContent()).toBe('8');
    expect(await tabB.getByTestId('billing-reserved').textContent()).toMatch(/^2 credits reserved for scheduled interviews/);
    const row = tabA.locator('li[data-status="scheduled"]', { hasText: 'Staff Engineer' });
    expect(await row.getByTestId('interview-credit-status').textContent()).toBe('2 credits reserved');
    interviewId = (await row.getAttribute('data-interview-id')) ?? '';
    expect(interviewId).not.toBe('');
  });

  it('the interview takes place (complete_interview): reserved goes to 0 in both tabs, available stays', async () => {
    const { error } = await serviceClient().rpc('complete_interview', { interview_id: interviewId });
    expect(error).toBeNull();
    await waitForReserved(tabB, null, CROSS_TAB_LIMIT_MS);
    await waitForReserved(tabA, null, CROSS_TAB_LIMIT_MS);
    await waitForSidebarBalance(tabB, 8, 100);
    // History: the capture reads as reserved credits spent; the available column does not move.
    const capture = tabB.locator('tbody tr[data-kind="spend"]').first();
    await capture.waitFor({ timeout: 5000 });
    expect(await capture.getByTestId('ledger-summary').textContent()).toBe('2 credits spent from reserved');
    expect(await capture.locator('.tag').textContent()).toBe('Interview completed');
    expect(await capture.getByTestId('ledger-reserved-change').textContent()).toBe('-2 reserved');
    expect(await capture.getByTestId('ledger-balance').textContent()).toBe('8');
    await tabA.reload();
    const row = tabA.locator('li[data-status="completed"]', { hasText: 'Staff Engineer' });
    expect(await row.getByTestId('interview-credit-status').textContent()).toBe('2 credits spent');
  });

  it('a lot that expires: the notice before, the expiration row in plain words after', async () => {
    const expiresAt = new Date(Date.now() + 2000);
    await addCredits(3, { expires_at: expiresAt.toISOString(), reason: 'Short-lived promo' });
    await waitForSidebarBalance(tabB, 11, CROSS_TAB_LIMIT_MS);
    const notice = tabB.getByTestId('expiry-notice');
    await notice.waitFor({ timeout: 5000 });
    expect(await notice.textContent()).toMatch(/^3 credits expire today at \d{1,2}:\d{2}\s[AP]M\.$/);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now() + 200)));
    // The pg_cron job runs every minute; the test runs the function it loops over instead of waiting.
    await db().query('select billing.expire_credit_lots(100000)');
    await waitForSidebarBalance(tabB, 8, CROSS_TAB_LIMIT_MS);
    const expired = tabB.locator('tbody tr[data-kind="expiration"]');
    await expired.waitFor({ timeout: 5000 });
    expect(await expired.getByTestId('ledger-summary').textContent()).toBe('3 credits expired');
    await notice.waitFor({ state: 'detached', timeout: 5000 });
    expect(pageErrors).toEqual([]);
  });
});

describe('long values', () => {
  it('999,999 available and reserved, at desktop and phone size', async () => {
    // The largest single grant is 10,000: 8 + 99 × 10,000 + 9,991 = 999,999, as support would reach it.
    await Promise.all(Array.from({ length: 99 }, () => addCredits(10_000)));
    const expiresSoon = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
    await addCredits(9_991, { expires_at: expiresSoon, reason: 'Conference promo with a rather long reason that has to wrap somewhere sensible' });
    for (const interview of ['Principal Platform Engineer, Payments Infrastructure', 'Head of Data']) {
      const { error } = await user.client.rpc('create_interview', { job_position: interview, duration_minutes: 120, interview_type: 'technical' });
      if (error) throw new Error(`create_interview failed: ${error.message}`);
    }
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      watchPageErrors(page, pageErrors);
      await page.goto(`${WEB_URL}/billing`);
      await page.getByTestId('billing-reserved').waitFor();
      await page.getByTestId('expiry-notice').waitFor();
      expect(await page.evaluate(horizontalOverflow)).toEqual([]);
      await shoot(page, `billing-${name}`);
      await page.getByRole('heading', { name: 'History' }).scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, -80));
      await shoot(page, `history-${name}`);
      await page.goto(`${WEB_URL}/interviews`);
      await page.locator('li[data-status="scheduled"]').first().waitFor();
      expect(await page.evaluate(horizontalOverflow)).toEqual([]);
      await shoot(page, `interviews-${name}`);
      await page.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
