// Launches Debian's Chromium headless with the flags that keep it quiet and offline-friendly.
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Fails the test on any uncaught page error: a blank screen must never go unnoticed. */
export function watchPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
}

/** Waits until the sidebar shows `credits`; resolves with how long that took. */
export async function waitForSidebarBalance(page: Page, credits: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await page.waitForFunction(
    (expected) => document.querySelector('[data-testid="credit-balance"]')?.textContent === expected,
    String(credits),
    { timeout: timeoutMs, polling: 20 },
  );
  return Date.now() - started;
}
