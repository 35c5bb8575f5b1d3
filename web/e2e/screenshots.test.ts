// Captures the billing and create-interview pages at desktop (1280x800) and phone (390x844) size
// into test-results/screenshots/, and checks the layout holds: no sideways scrolling on a phone,
// the sidebar collapses behind a menu button, every form control has a label.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@supabase/supabase-js';
import type { Browser, Page } from 'playwright-core';
import { loadStackEnv } from '../../scripts/lib/stack-env.ts';
import { ensureScreenshotDir, shoot, unlabelledControls } from './screenshotPage.ts';
import { launchBrowser, waitForSidebarBalance, watchPageErrors } from './browser.ts';
import { API_URL, WEB_URL } from './stackUrls.ts';
import { signUpInBrowser } from './signUp.ts';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

const email = `shots-${Date.now()}@example.test`;
const password = 'correct-horse-battery';
const pageErrors: string[] = [];
let browser: Browser;

/** Gives the account some history (a grant, two interviews, one cancelled) through the real API. */
async function seedHistory(): Promise<void> {
  const env = await loadStackEnv();
  const options = {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  };
  const user = createClient(API_URL, env.ANON_KEY, options);
  const { data, error } = await user.auth.signInWithPassword({ email, password });
  if (error || !data.user) throw new Error(`sign-in for seeding failed: ${error?.message}`);
  const service = createClient(API_URL, env.SERVICE_ROLE_KEY, options);
  const grant = await service.rpc('add_credits', { user_id: data.user.id, amount: 12, kind: 'grant', reason: 'Welcome credits' });
  if (grant.error) throw new Error(`grant failed: ${grant.error.message}`);
  const first = await user.rpc('create_interview', { job_position: 'Frontend Engineer', duration_minutes: 60, interview_type: 'technical' });
  const second = await user.rpc('create_interview', { job_position: 'Product Designer', duration_minutes: 30, interview_type: 'culture_fit' });
  if (first.error || second.error) throw new Error('creating interviews failed');
  const cancelled = await user.rpc('cancel_interview', { interview_id: (second.data as { interview_id: string }).interview_id });
  if (cancelled.error) throw new Error(`cancel failed: ${cancelled.error.message}`);
}

async function openSignedIn(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  await page.goto(`${WEB_URL}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  return page;
}

beforeAll(async () => {
  ensureScreenshotDir();
  browser = await launchBrowser();
  const context = await browser.newContext();
  const page = await context.newPage();
  context.setDefaultTimeout(10_000);
  await signUpInBrowser(page, email, password);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await context.close();
  await seedHistory();
});

afterAll(async () => {
  await browser?.close();
});

describe('screenshots and layout', () => {
  it('desktop: billing and create-interview pages', async () => {
    const page = await openSignedIn(VIEWPORTS.desktop);
    await page.getByRole('navigation').getByRole('link', { name: 'Billing', exact: true }).click();
    await waitForSidebarBalance(page, 10, 5000);
    await page.locator('tbody tr[data-kind]').nth(3).waitFor();
    await page.getByTestId('cost-120').and(page.getByText('4 credits')).waitFor();
    expect(await page.locator('.sidebar').isVisible()).toBe(true);
    await shoot(page, 'billing-desktop');

    await page.getByRole('navigation').getByRole('link', { name: 'Create Interview', exact: true }).click();
    await page.getByLabel('Job position').fill('Senior Backend Engineer');
    await page.getByTestId('interview-cost').waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await shoot(page, 'create-interview-desktop');
    await page.context().close();
  });

  it('desktop: the local checkout page, and cancelling it', async () => {
    const page = await openSignedIn(VIEWPORTS.desktop);
    await page.getByRole('navigation').getByRole('link', { name: 'Billing', exact: true }).click();
    await page.getByRole('button', { name: /add 5 credits/i }).click();
    await page.waitForURL(/\/checkout\/local\?session_id=cs_/);
    await page.getByTestId('checkout-amount').and(page.getByText('$5.00')).waitFor();
    await shoot(page, 'local-checkout-desktop');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/\/billing\?checkout=cancelled$/);
    await page.locator('[data-checkout-state="cancelled"]').waitFor();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/payment cancelled/i);
    await waitForSidebarBalance(page, 10, 5000);
    await shoot(page, 'billing-cancelled-desktop');
    await page.context().close();
  });

  it('phone: the sidebar collapses, nothing scrolls sideways', async () => {
    const page = await openSignedIn(VIEWPORTS.phone);
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Billing', exact: true }).click();
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    await page.getByTestId('billing-balance').and(page.getByText('10')).waitFor();
    await page.locator('tbody tr[data-kind]').nth(3).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    // Every history row shows its balance on screen, not inside a sideways-scrolling table.
    const balances = await page.getByTestId('ledger-balance').evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().right));
    expect(balances.length).toBeGreaterThanOrEqual(4);
    for (const right of balances) expect(right).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await shoot(page, 'billing-phone');

    await page.goto(`${WEB_URL}/interviews/new`);
    await page.getByLabel('Job position').fill('Senior Backend Engineer');
    await page.getByTestId('interview-cost').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await shoot(page, 'create-interview-phone');

    await page.getByRole('button', { name: 'Menu' }).click();
    await page.locator('.sidebar--open').waitFor();
    // Focus moves into the drawer, and back to the menu button when Escape closes it.
    expect(await page.evaluate(() => document.getElementById('app-sidebar')?.contains(document.activeElement))).toBe(true);
    await page.waitForTimeout(250);
    await shoot(page, 'menu-open-phone');
    await page.keyboard.press('Escape');
    await page.locator('.sidebar--open').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu');
    await page.context().close();
  });

  it('is usable from the keyboard: the skip link comes first and lands on the content', async () => {
    const page = await openSignedIn(VIEWPORTS.desktop);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
});
