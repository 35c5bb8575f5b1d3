// What the screenshot tests share: where the pictures go, taking one once the fonts have loaded,
// and the form controls a screen reader could not name.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/config.ts';

export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');

export function ensureScreenshotDir(): void {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
}

/** A full-page screenshot `<name>.png` in SCREENSHOT_DIR, after the page's fonts are ready. */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The outer HTML of every input, select and textarea with neither a <label> nor an aria-label. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.locator('input, select, textarea').evaluateAll((elements) => elements
    .filter((element) => (element as HTMLInputElement).labels?.length === 0 && !element.getAttribute('aria-label'))
    .map((element) => element.outerHTML));
}
