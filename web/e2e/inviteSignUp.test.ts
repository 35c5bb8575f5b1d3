// An invitation to an address with no account yet, in a real browser: the mailed link, "create an
// account" with the invited address, the sign-up link (which lands on the dashboard, in the same
// browser), the password, and back to the invitation on its own to join the team.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeDb, signUpUser, uniqueEmail } from '../../test-support/stack.ts';
import { createTeamAs, inviteAndMail } from '../test/teams.ts';
import type { AppSupabaseClient } from '../src/lib/supabaseClient.ts';
import { launchBrowser, watchPageErrors } from './browser.ts';
import { choosePassword, submitSignUp } from './signUp.ts';
import { openConfirmationLink } from './inbox.ts';

const pageErrors: string[] = [];
let browser: Browser;
let page: Page;
let link: string;
const invitee = uniqueEmail('e2e-invited');

beforeAll(async () => {
  const owner = await signUpUser('e2e-inviter');
  const client = owner.client as unknown as AppSupabaseClient;
  const teamId = await createTeamAs(client, 'Northwind Recruiting');
  link = await inviteAndMail(client, teamId, invitee);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  watchPageErrors(page, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await closeDb();
});

describe('invited without an account', () => {
  it('the link says which team and offers creating an account with the (masked) invited address', async () => {
    await page.goto(link);
    expect(await page.getByTestId('invitation-summary').textContent()).toMatch(/to join Northwind Recruiting as a member\./);
    expect(await page.getByTestId('invitation-sign-in').textContent()).toMatch(/…@example\.test/);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  });

  it('signs up with the invited address, confirms, chooses a password, comes back to the invitation and joins', async () => {
    await submitSignUp(page, invitee, 'Invited Recruiter');
    await openConfirmationLink(page, invitee);
    await choosePassword(page, 'correct-horse-battery');
    await page.waitForURL(/\/invite\//).catch(async () => { throw new Error(`landed on ${page.url()}: ${await page.locator('main').textContent()}`); });
    await page.getByRole('button', { name: 'Join Northwind Recruiting' }).click();
    await page.getByTestId('team-name').waitFor();
    expect(await page.getByTestId('team-name').textContent()).toBe('Northwind Recruiting');
    expect(new URL(page.url()).pathname).toBe('/team');
    expect(await page.evaluate(() => window.localStorage.getItem('pending-invitation'))).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
