// The local inbox from a browser test: the confirmation link the auth server mailed an address.
import type { Page } from 'playwright-core';
import { latestMailLink } from '../../scripts/lib/confirm-signup.ts';
import { API_URL } from './stackUrls.ts';

/** Opens the newest link mailed to `email` in `page`, as clicking it in a mail client would. */
export async function openConfirmationLink(page: Page, email: string): Promise<string> {
  const link = await latestMailLink(API_URL, email);
  await page.goto(link);
  return link;
}
