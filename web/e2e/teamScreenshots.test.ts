// Screenshots of the team workspaces at desktop (1280x800) and phone (390x844) size into
// test-results/screenshots/ (the switcher, a team's billing page for an owner and for a member,
// the team settings page, the accept page), with long names and odd inputs, and the layout checks
// of screenshots.test.ts: nothing scrolls sideways on a phone, every control has a label.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeDb, db, signUpUser } from '../../test-support/stack.ts';
import { addTeamMember, grantTeamCredits, inviteAndMail } from '../test/teams.ts';
import type { AppSupabaseClient } from '../src/lib/supabaseClient.ts';
import { ensureScreenshotDir, shoot, unlabelledControls } from './screenshotPage.ts';
import { launchBrowser, waitForSidebarBalance, watchPageErrors } from './browser.ts';
import { horizontalOverflow } from './horizontalOverflow.ts';
import { signInInBrowser } from './signIn.ts';
import { WEB_URL } from './stackUrls.ts';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const TEAM = 'Global Talent Acquisition & Executive Search — Asia-Pacific, Latin America and the Nordics 🚀';
const LONG_NAME = 'Maximiliana Alexandrovna Konstantinopoulou-Wolfeschlegelsteinhausenbergerdorff';
const pageErrors: string[] = [];
let browser: Browser;
let owner: { email: string; password: string };
let member: { email: string; password: string };
let teamId: string;
let inviteLink: string;

async function openAs(who: { email: string; password: string }, viewport: { width: number; height: number }, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  await signInInBrowser(page, who.email, who.password);
  await page.goto(`${WEB_URL}${path}${path.includes('?') ? '&' : '?'}workspace=${teamId}`);
  return page;
}

beforeAll(async () => {
  ensureScreenshotDir();
  const ownerUser = await signUpUser('shots-team-owner');
  owner = { email: ownerUser.email, password: ownerUser.password };
  const memberUser = await signUpUser('shots-team-member-with-a-rather-long-address');
  member = { email: memberUser.email, password: memberUser.password };
  await db().query('update public.users set name = $2 where id = $1', [memberUser.user.id, LONG_NAME]);
  const created = await ownerUser.client.rpc('create_team', { name: TEAM });
  teamId = (created.data as { team_id: string }).team_id;
  await addTeamMember(teamId, memberUser.user.id, 'member');
  await ownerUser.client.rpc('set_member_limit', { team_id: teamId, user_id: memberUser.user.id, monthly_limit: 25 });
  await ownerUser.client.rpc('set_team_limit', { team_id: teamId, monthly_limit: 1_000_000 });
  await grantTeamCredits(teamId, 42);
  const spend = await memberUser.client.rpc('create_interview', { job_position: 'Principal Engineer', duration_minutes: 60, interview_type: 'technical', team_id: teamId });
  if (spend.error) throw new Error(`create_interview failed: ${spend.error.message}`);
  inviteLink = await inviteAndMail(ownerUser.client as unknown as AppSupabaseClient, teamId,
    'a.very.long.invited.address.for.the.recruiting.team@subdomain.example-company.test', 'admin');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeDb();
});

describe('team screenshots and layout', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`${size}: the owner's team billing page and team settings`, async () => {
      const page = await openAs(owner, viewport, '/billing');
      await waitForSidebarBalance(page, 40, 5000).catch(() => page.getByTestId('billing-balance').and(page.getByText('40')).waitFor());
      await page.getByTestId('team-limits').waitFor();
      await page.locator('tbody tr[data-kind]').nth(1).waitFor();
      expect(await page.evaluate(horizontalOverflow)).toEqual([]);
      expect(await unlabelledControls(page)).toEqual([]);
      await shoot(page, `team-billing-${size}`);

      await page.goto(`${WEB_URL}/team`);
      await page.locator('tr[data-testid="member-row"]').nth(1).waitFor();
      await page.getByTestId('invitation').waitFor();
      expect(await page.evaluate(horizontalOverflow)).toEqual([]);
      expect(await unlabelledControls(page)).toEqual([]);
      await shoot(page, `team-settings-${size}`);

      // Odd inputs: a limit in words and a blank rename show the server's words in place.
      const row = page.locator(`tr[data-email="${member.email}"]`);
      await row.getByRole('textbox').fill('lots');
      await row.getByRole('button', { name: 'Set' }).click();
      await page.locator(`tr.team-table__error[data-email="${member.email}"] [data-error-code="invalid_monthly_limit"]`).waitFor();
      await page.getByLabel('Team name').fill('   ');
      await page.getByRole('button', { name: 'Rename' }).click();
      await page.locator('[data-error-code="invalid_name"]').waitFor();
      expect(await page.evaluate(horizontalOverflow)).toEqual([]);
      await shoot(page, `team-settings-errors-${size}`);
      await page.context().close();
    });

    it(`${size}: a member's billing page (ask an admin, limit left) and the switcher`, async () => {
      const page = await openAs(member, viewport, '/billing');
      await page.getByTestId('ask-an-admin').waitFor();
      await page.getByTestId('member-limit').waitFor();
      expect(await page.evaluate(horizontalOverflow)).toEqual([]);
      await shoot(page, `team-billing-member-${size}`);
      if (size === 'phone') {
        await page.getByRole('button', { name: 'Menu' }).click();
        await page.locator('.sidebar--open').waitFor();
        await page.waitForTimeout(250);
        await shoot(page, 'switcher-menu-phone');
      }
      await page.context().close();
    });

    it(`${size}: the accept page for another signed-in address`, async () => {
      const page = await openAs(member, viewport, '/');
      await page.goto(inviteLink);
      await page.locator('[data-error-code="invitation_wrong_address"]').waitFor();
      expect(await page.evaluate(horizontalOverflow)).toEqual([]);
      await shoot(page, `accept-invitation-${size}`);
      await page.context().close();
    });
  }

  it('no page threw', () => {
    expect(pageErrors).toEqual([]);
  });
});
