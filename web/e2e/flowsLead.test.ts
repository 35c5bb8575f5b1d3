// Flows that lead somewhere, at 1280 × 800 and 390 × 844: the dashboard leads with buying at
// zero and counts interviews; the create form at zero is disabled with a buy link that keeps the
// draft across a real local checkout and comes back to it; each interview opens on a detail page
// with its ledger rows; "Forgot password?" mails a link that sets a new password; the demo
// recruiter shows a history. Screenshots go to test-results/screenshots/flows-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/config.ts';
import { latestMailLink } from '../../scripts/lib/confirm-signup.ts';
import { closeDb, grantCredits, signUpUser, type SignedUpUser } from '../../test-support/stack.ts';
import { launchBrowser, watchPageErrors } from './browser.ts';
import { API_URL, WEB_URL } from './stackUrls.ts';

const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
type Width = keyof typeof VIEWPORTS;
const pageErrors: string[] = [];
let browser: Browser;

async function newPage(width: Width): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORTS[width] });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  return page;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${WEB_URL}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `flows-${name}.png`), fullPage: true });
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scroll, viewport } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(scroll, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(viewport);
}

/** Interviews made through the real API as the user; returns their ids, newest last. */
async function createInterviews(user: SignedUpUser, positions: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const job_position of positions) {
    const { data, error } = await user.client.rpc('create_interview', { job_position, duration_minutes: 30, interview_type: 'screening', job_description: `About the ${job_position} role.` });
    if (error) throw new Error(`create_interview failed: ${error.message}`);
    ids.push((data as { interview_id: string }).interview_id);
  }
  return ids;
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeDb();
  expect(pageErrors).toEqual([]);
});

describe.each(['desktop', 'phone'] as const)('flows that lead somewhere (%s)', (width) => {
  it('dashboard: at 0 credits the main action is "Buy credits"; with interviews made it counts them', async () => {
    const fresh = await signUpUser(`flows-zero-${width}`);
    const page = await newPage(width);
    await signIn(page, fresh.email, fresh.password);
    const nextStep = page.getByRole('region', { name: 'Next step' });
    await nextStep.getByTestId('next-step').and(page.getByText(/no credits yet/)).waitFor();
    expect(await nextStep.locator('.button--primary').textContent()).toBe('Buy credits');
    await noSidewaysScroll(page);
    await shoot(page, `dashboard-zero-${width}`);

    // Three interviews made, the credits all spent: still lead with buying, and never "your first".
    const used = await signUpUser(`flows-used-${width}`);
    await grantCredits(used.user.id, 3);
    await createInterviews(used, ['Analyst', 'Designer', 'Engineer']);
    await page.context().close();
    const second = await newPage(width);
    await signIn(second, used.email, used.password);
    const step = second.getByRole('region', { name: 'Next step' }).getByTestId('next-step');
    await step.and(second.getByText(/no credits left/)).waitFor();
    expect(await step.textContent()).toContain('3 interviews');
    expect(await second.locator('main').textContent()).not.toMatch(/your first/i);
    expect(await second.getByTestId('interview-count').textContent()).toBe('3');
    expect(await second.getByRole('region', { name: 'Next step' }).locator('.button--primary').textContent()).toBe('Buy credits');
    await shoot(second, `dashboard-spent-${width}`);
    await second.context().close();
  });

  it('create form at 0 credits: submit disabled with the reason, buy link up front; the draft survives a purchase and comes back', async () => {
    const user = await signUpUser(`flows-draft-${width}`);
    const page = await newPage(width);
    await signIn(page, user.email, user.password);
    await page.goto(`${WEB_URL}/interviews/new`);
    await page.getByLabel('Job position').fill('Staff Platform Engineer');
    await page.getByLabel(/description/i).fill('Kubernetes and Postgres at scale.');
    const submit = page.getByRole('button', { name: /^Create interview/ });
    await page.getByTestId('short-of-credits').waitFor();
    expect(await submit.isDisabled()).toBe(true);
    expect(await page.getByTestId('short-of-credits').textContent()).toContain('You need 1 credit more');
    await noSidewaysScroll(page);
    await shoot(page, `create-at-zero-${width}`);

    await page.getByTestId('short-of-credits').getByRole('link', { name: 'Buy credits' }).click();
    await page.waitForURL(/\/billing\?return=%2Finterviews%2Fnew$/);
    await page.getByTestId('return-after-checkout').waitFor();
    await shoot(page, `billing-with-draft-${width}`);
    await page.getByRole('button', { name: /5 credits/i }).first().click();
    await page.waitForURL(/\/checkout\/local\?session_id=cs_/);
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL(/\/billing\?checkout=success&session_id=cs_/);
    await page.locator('[data-checkout-state="success"]').waitFor({ timeout: 15_000 });
    await shoot(page, `billing-paid-back-to-draft-${width}`);
    await page.getByTestId('return-after-checkout').getByRole('link', { name: 'Back to your draft' }).click();

    await page.waitForURL(`${WEB_URL}/interviews/new`);
    expect(await page.getByLabel('Job position').inputValue()).toBe('Staff Platform Engineer');
    expect(await page.getByLabel(/description/i).inputValue()).toBe('Kubernetes and Postgres at scale.');
    await page.waitForFunction(() => !document.querySelector('[data-testid="short-of-credits"]'));
    expect(await submit.isEnabled()).toBe(true);
    await shoot(page, `create-draft-restored-${width}`);
    await submit.click();
    await page.waitForURL(`${WEB_URL}/interviews`);
    // Created: the draft is gone, the next form starts empty.
    await page.goto(`${WEB_URL}/interviews/new`);
    expect(await page.getByLabel('Job position').inputValue()).toBe('');
    await page.context().close();
  });

  it('a crafted ?return= to another site is never offered as the way back', async () => {
    const user = await signUpUser(`flows-redirect-${width}`);
    const page = await newPage(width);
    await signIn(page, user.email, user.password);
    for (const target of ['//evil.example/x', 'https://evil.example/', 'javascript:alert(1)', '/\\evil.example']) {
      await page.goto(`${WEB_URL}/billing?return=${encodeURIComponent(target)}`);
      await page.getByRole('heading', { name: 'Billing' }).waitFor();
      expect(await page.getByTestId('return-after-checkout').count()).toBe(0);
    }
    await page.context().close();
  });

  it('interviews open on a detail page with their ledger rows; a malformed or foreign id is "not found"', async () => {
    const user = await signUpUser(`flows-detail-${width}`);
    await grantCredits(user.user.id, 5);
    const [keptId, cancelledId] = await createInterviews(user, ['Backend Engineer', 'Frontend Engineer']);
    const cancelled = await user.client.rpc('cancel_interview', { interview_id: cancelledId });
    expect(cancelled.error).toBeNull();

    const page = await newPage(width);
    await signIn(page, user.email, user.password);
    await page.goto(`${WEB_URL}/interviews`);
    await page.getByRole('link', { name: 'Frontend Engineer' }).click();
    await page.waitForURL(`${WEB_URL}/interviews/${cancelledId}`);
    const card = page.locator('.interview-detail');
    await card.waitFor();
    const text = await card.textContent();
    for (const expected of ['Frontend Engineer', 'About the Frontend Engineer role.', 'Screening', '30 min', 'cancelled', 'Created', 'Cancelled']) {
      expect(text).toContain(expected);
    }
    expect(await page.getByTestId('interview-cost').textContent()).toBe('1 credit');
    expect(await page.getByTestId('interview-credit-status').textContent()).toBe('1 credit returned');
    const rows = page.locator('.ledger-table tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')))).toEqual(['hold', 'release']);
    await noSidewaysScroll(page);
    await shoot(page, `interview-detail-${width}`);

    await page.goto(`${WEB_URL}/interviews/${keptId}`);
    await page.locator('.interview-detail[data-status="scheduled"]').waitFor();
    expect(await page.getByTestId('interview-credit-status').textContent()).toBe('1 credit reserved');

    const stranger = await signUpUser(`flows-stranger-${width}`);
    await grantCredits(stranger.user.id, 1);
    const [foreignId] = await createInterviews(stranger, ['Not yours']);
    for (const id of [foreignId, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      await page.goto(`${WEB_URL}/interviews/${id}`);
      await page.getByTestId('interview-not-found').waitFor();
      expect(await page.getByText('Not yours').count()).toBe(0);
    }
    await shoot(page, `interview-not-found-${width}`);
    await page.getByRole('link', { name: 'Back to your interviews' }).click();
    await page.getByRole('heading', { name: 'Interviews', exact: true }).waitFor();
    await page.context().close();
  });

  it('"Forgot password?" mails a link to the local inbox that opens a page to set a new password, then signs in', async () => {
    const user = await signUpUser(`flows-forgot-${width}`);
    const page = await newPage(width);
    await page.goto(`${WEB_URL}/sign-in`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await shoot(page, `forgot-password-${width}`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByTestId('reset-email-sent').waitFor();
    expect(await page.getByTestId('reset-email-sent').textContent()).toContain(user.email);
    await shoot(page, `forgot-password-sent-${width}`);

    const link = await latestMailLink(API_URL, user.email);
    expect(link).toContain('type=recovery');
    await page.goto(link);
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await noSidewaysScroll(page);
    await shoot(page, `reset-password-${width}`);
    await page.getByLabel('New password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.locator('[data-error-code="same_password"]').waitFor();
    await page.getByLabel('New password', { exact: true }).fill('a-new-password-123');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    // The link is spent; the new password signs in.
    await page.context().close();
    const again = await newPage(width);
    await again.goto(link);
    await again.getByRole('link', { name: 'Send a new link' }).waitFor();
    await shoot(again, `reset-password-link-used-${width}`);
    await signIn(again, user.email, 'a-new-password-123');
    await again.context().close();
  });

  it('the demo recruiter shows a history: credits, interviews, a chart with spending, a cancellation', async () => {
    const page = await newPage(width);
    await signIn(page, 'demo@recruiter.test', 'demo-password-123');
    await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-testid="interview-count"]')?.textContent ?? ''));
    expect(Number(await page.getByTestId('interview-count').textContent())).toBeGreaterThanOrEqual(13);
    expect(await page.getByRole('region', { name: 'Next step' }).textContent()).not.toMatch(/your first/i);
    await shoot(page, `demo-dashboard-${width}`);
    await page.goto(`${WEB_URL}/billing`);
    const chart = page.locator('.spend-chart svg');
    await chart.waitFor();
    // The chart's label names what was spent in its window; wait for the history to load.
    await page.waitForFunction(() => /^Spent on interviews .*: [1-9]\d* credits?$/.test(document.querySelector('.spend-chart svg')?.getAttribute('aria-label') ?? ''));
    await page.locator('.ledger-table tr[data-kind="release"]').first().waitFor();
    await page.locator('.ledger-table tr[data-kind="purchase"]').first().waitFor();
    await noSidewaysScroll(page);
    await shoot(page, `demo-billing-${width}`);
    await page.goto(`${WEB_URL}/interviews`);
    await page.locator('.interview-row[data-status="cancelled"]').first().waitFor();
    expect(await page.locator('.interview-row').count()).toBeGreaterThanOrEqual(13);
    await shoot(page, `demo-interviews-${width}`);
    await page.context().close();
  });
});
