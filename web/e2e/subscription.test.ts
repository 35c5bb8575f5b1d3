// A subscription in a real browser, through the local provider: the recruiter subscribes from the
// billing page (the local checkout page, the signed events to the real webhook), sees the plan
// card and the credits, opens Manage (the billing-portal function's url: the local portal page),
// renews from its Development box and sees the renewal date move, back on billing too.
// Screenshots of the billing page and the portal at 1280 and 390 px (and a failed renewal on a
// phone); nothing scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeDb, signUpUser } from '../../test-support/stack.ts';
import { ensureScreenshotDir, shoot, unlabelledControls } from './screenshotPage.ts';
import { launchBrowser, waitForSidebarBalance, watchPageErrors } from './browser.ts';
import { horizontalOverflow } from './horizontalOverflow.ts';
import { signInInBrowser } from './signIn.ts';
import { WEB_URL } from './stackUrls.ts';

const pageErrors: string[] = [];
let browser: Browser;
let recruiter: { email: string; password: string };

beforeAll(async () => {
  ensureScreenshotDir();
  const user = await signUpUser('e2e-subscription');
  recruiter = { email: user.email, password: user.password };
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeDb();
});

async function settled(page: Page, name: string): Promise<void> {
  // From the top: a page reached by a link keeps the scroll, and the phone's sticky top bar would sit mid-picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  expect(await page.evaluate(horizontalOverflow)).toEqual([]);
  expect(await unlabelledControls(page)).toEqual([]);
  await shoot(page, name);
}

describe('subscription in the browser', () => {
  it('subscribes, sees the plan card with the credits, renews from the local portal and sees the renewal date move', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    watchPageErrors(page, pageErrors);
    await signInInBrowser(page, recruiter.email, recruiter.password);
    await page.goto(`${WEB_URL}/billing`);
    await page.getByTestId('subscription-plans').waitFor();
    await settled(page, 'subscription-plans-desktop');

    await page.getByRole('button', { name: /^Subscribe to Pro monthly/ }).click();
    await page.waitForURL(/\/checkout\/local\?.*mode=subscription/);
    await page.getByRole('button', { name: 'Subscribe for $79.00/month' }).click();
    await page.locator('[data-checkout-state="success"]').waitFor({ timeout: 15_000 });
    await waitForSidebarBalance(page, 100, 5000);
    const card = page.getByTestId('subscription-card');
    expect(await card.getByTestId('subscription-plan').textContent()).toBe('Pro monthly');
    expect(await card.getByTestId('subscription-credits').textContent()).toBe('100 credits every month · $79.00/month');
    const renews = await card.getByTestId('subscription-renews').textContent();
    expect(renews).toMatch(/^Renews on .+\.$/);
    await settled(page, 'subscription-card-desktop');

    await card.getByRole('button', { name: 'Manage subscription' }).click();
    await page.waitForURL(/\/portal\/local\?subscription=/);
    const before = await page.getByTestId('portal-period-end').textContent();
    await settled(page, 'subscription-portal-desktop');
    await page.getByRole('button', { name: 'Renew now' }).click();
    await page.getByTestId('portal-outcome').waitFor();
    const after = await page.getByTestId('portal-period-end').textContent();
    expect(after).not.toBe(before);
    expect(Date.parse(after ?? '')).toBeGreaterThan(Date.parse(before ?? ''));

    await page.getByRole('link', { name: 'Back to billing' }).click();
    // The renewal's credits: 100 more, the renewal date the portal showed.
    await waitForSidebarBalance(page, 200, 5000);
    await page.getByTestId('subscription-renews').and(page.getByText(`Renews on ${after}.`)).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('subscription-renews').waitFor();
    await settled(page, 'subscription-card-phone');
    await page.goto(page.url().replace(/\/billing.*$/, '/billing'));
    await card.getByRole('button', { name: 'Manage subscription' }).click();
    await page.waitForURL(/\/portal\/local\?subscription=/);
    await page.getByTestId('portal-period-end').waitFor();
    await settled(page, 'subscription-portal-phone');
    // A failed renewal, as the card shows it on a phone: the notice and Manage first.
    await page.getByRole('button', { name: 'Fail the renewal' }).click();
    await page.getByTestId('portal-outcome').waitFor();
    await page.getByRole('link', { name: 'Back to billing' }).click();
    await page.getByTestId('subscription-past-due').waitFor();
    await settled(page, 'subscription-past-due-phone');
    await context.close();
  });

  it('no page threw', () => {
    expect(pageErrors).toEqual([]);
  });
});
