// Every page at desktop (1280x800) and phone (390x844) size with the longest data a user may
// enter: 200-character job titles and a 5000-character description without a single space,
// 500-character ledger reasons, a long e-mail. No page, and nothing inside one, may scroll
// sideways; truncated text keeps its full text for hover, focus and screen readers; the phone's
// top bar shows the live balance; the sidebar's background reaches the bottom of a long page;
// each route names itself in the tab title; the favicon is served. Screenshots of every page at
// both sizes go to test-results/screenshots/layout-*.png.
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/config.ts';
import { loadStackEnv } from '../../scripts/lib/stack-env.ts';
import { signUpAndConfirm } from '../../scripts/lib/confirm-signup.ts';
import { launchBrowser, watchPageErrors } from './browser.ts';
import { API_URL, WEB_URL } from './stackUrls.ts';
import { horizontalOverflow } from './horizontalOverflow.ts';

const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
type ViewportName = keyof typeof VIEWPORTS;

// The limits of create_interview and add_credits (supabase/README.md), filled without a space.
const stamp = Date.now().toString(36);
const longTitle = (n: number) => `Principal${n}${'W'.repeat(200 - 10)}`.slice(0, 200);
const LONG_DESCRIPTION = 'D'.repeat(5000);
const LONG_REASON = `Goodwill${'R'.repeat(492)}`;
const email = `layout-${stamp}-${'m'.repeat(48)}@${'long'.repeat(12)}.${'domain'.repeat(8)}.example.test`;
const password = 'correct-horse-battery';
const INTERVIEWS = 7;

const pageErrors: string[] = [];
let browser: Browser;
let service: SupabaseClient;
let userId: string;
let pendingSessionId: string;
let paidSessionId: string;
let lastInterviewId: string;

function clientOptions() {
  return {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  };
}

async function must<T>(what: string, call: PromiseLike<{ data: T; error: unknown }>): Promise<T> {
  const { data, error } = await call;
  if (error) throw new Error(`${what} failed: ${(error as { message?: string }).message ?? String(error)}`);
  return data;
}

/** A user with the most every field allows: long grants, many long interviews, a pending and a paid checkout. */
async function seedMaximalUser(): Promise<void> {
  const env = await loadStackEnv();
  service = createClient(API_URL, env.SERVICE_ROLE_KEY, clientOptions());
  const user = createClient(API_URL, env.ANON_KEY, clientOptions());
  userId = (await signUpAndConfirm(user, API_URL, email, password)).user.id;
  await must('grant', service.rpc('add_credits', { user_id: userId, amount: 60, kind: 'grant', reason: LONG_REASON }));
  await must('adjustment', service.rpc('add_credits', { user_id: userId, amount: 7, kind: 'adjustment', reason: `Ticket${'T'.repeat(494)}` }));
  let firstId = '';
  for (let n = 0; n < INTERVIEWS; n += 1) {
    const created = await must('create_interview', user.rpc('create_interview', {
      job_position: longTitle(n), job_description: LONG_DESCRIPTION, duration_minutes: 120, interview_type: 'culture_fit',
    })) as { interview_id: string };
    if (n === 0) firstId = created.interview_id;
    lastInterviewId = created.interview_id;
  }
  await must('cancel_interview', user.rpc('cancel_interview', { interview_id: firstId }));
  const pending = await must('checkout', user.functions.invoke('checkout', { body: { plan_id: 'pack_5' } })) as { session_id: string };
  pendingSessionId = pending.session_id;
  const paid = await must('checkout', user.functions.invoke('checkout', { body: { plan_id: 'pack_10' } })) as { session_id: string };
  paidSessionId = paid.session_id;
  await must('local checkout', user.functions.invoke('local-checkout-complete', { body: { session_id: paidSessionId } }));
}

async function openPage(viewport: ViewportName): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  return page;
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${WEB_URL}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** Client-side navigation: the app stays loaded (fast), as when a user follows a link. */
async function navigate(page: Page, to: string): Promise<void> {
  await page.evaluate((target) => {
    window.history.pushState({}, '', target);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, to);
}

/** Full-page by default; `fullPage: false` for overlays, which cover the screen they open on. */
async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `layout-${name}.png`), fullPage });
}

interface Visit { name: string; path: string; ready(page: Page): Promise<unknown>; title: RegExp }

/** Every signed-in route, each waited for until its data (the long texts) is on screen. */
function signedInRoutes(): Visit[] {
  return [
    { name: 'dashboard', path: '/', title: /dashboard/i, ready: (page) => page.getByRole('heading', { name: 'Dashboard' }).waitFor() },
    { name: 'interviews', path: '/interviews', title: /interviews/i, ready: (page) => page.locator('.interview-row').nth(INTERVIEWS - 1).waitFor() },
    {
      name: 'create-interview', path: '/interviews/new', title: /create interview/i, ready: async (page) => {
        await page.getByLabel('Job position').fill(longTitle(9));
        await page.getByLabel(/description/i).fill(LONG_DESCRIPTION);
      },
    },
    { name: 'billing', path: '/billing', title: /billing/i, ready: (page) => page.locator('tbody tr[data-kind]').nth(INTERVIEWS + 3).waitFor() },
    {
      name: 'billing-paid', path: `/billing?checkout=success&session_id=${paidSessionId}`, title: /billing/i,
      ready: (page) => page.locator('[data-checkout-state]').waitFor(),
    },
    {
      name: 'billing-cancelled', path: '/billing?checkout=cancelled', title: /billing/i,
      ready: (page) => page.locator('[data-checkout-state="cancelled"]').waitFor(),
    },
    {
      name: 'checkout', path: `/checkout/local?session_id=${pendingSessionId}`, title: /checkout/i,
      ready: (page) => page.getByTestId('checkout-amount').waitFor(),
    },
    {
      name: 'checkout-invalid', path: '/checkout/local?session_id=cs_local_nonexistent', title: /checkout/i,
      ready: (page) => page.getByRole('alert').first().waitFor(),
    },
    {
      // The detail page: a 200-character title and a 5000-character description without spaces.
      name: 'interview-detail', path: `/interviews/${lastInterviewId}`, title: /^interview: /i,
      ready: (page) => page.getByRole('heading', { name: 'Credits' }).waitFor(),
    },
    { name: 'team', path: '/team', title: /team/i, ready: (page) => page.getByRole('heading', { name: 'Create a team' }).waitFor() },
    { name: 'not-found', path: `/no-such-page-${'z'.repeat(300)}`, title: /not found/i, ready: (page) => page.getByRole('heading', { name: /not found/i }).waitFor() },
  ];
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  browser = await launchBrowser();
  await seedMaximalUser();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(Object.keys(VIEWPORTS) as ViewportName[])('layout at %s size with maximal data', (viewport) => {
  // One signed-in tab per size, reused by the tests below (signing in takes a second or two).
  let page: Page;
  beforeAll(async () => {
    page = await openPage(viewport);
    await signIn(page);
  });
  afterAll(async () => {
    await page?.context().close();
  });

  it('signed out: sign-in and sign-up do not scroll sideways with a long e-mail, and name themselves', async () => {
    const signedOut = await openPage(viewport);
    const titles: string[] = [];
    for (const [name, route, heading] of [['sign-in', '/sign-in', 'Sign in'], ['sign-up', '/sign-up', 'Create your account'], ['forgot-password', '/forgot-password', 'Reset your password']] as const) {
      await signedOut.goto(`${WEB_URL}${route}`);
      await signedOut.getByRole('heading', { name: heading }).waitFor();
      await signedOut.getByLabel('Email').fill(email);
      expect(await signedOut.evaluate(horizontalOverflow), `${name} at ${viewport}`).toEqual([]);
      expect(await signedOut.title()).toMatch(new RegExp(heading, 'i'));
      titles.push(await signedOut.title());
      await shoot(signedOut, `${name}-${viewport}`);
    }
    expect(new Set(titles).size).toBe(titles.length);
    await signedOut.context().close();
  });

  it('signed in: no page scrolls sideways, each has its own title, screenshots saved', async () => {
    const titles = new Map<string, string>();
    for (const visit of signedInRoutes()) {
      await navigate(page, visit.path);
      await visit.ready(page);
      await page.waitForTimeout(50); // the layout settles after the data lands
      expect(await page.evaluate(horizontalOverflow), `${visit.name} at ${viewport}`).toEqual([]);
      expect(await page.title(), visit.name).toMatch(visit.title);
      titles.set(visit.path.split('?')[0], await page.title());
      await shoot(page, `${visit.name}-${viewport}`);
    }
    expect(new Set(titles.values()).size, JSON.stringify([...titles])).toBe(titles.size);
  });

  it('interviews: status and cancel stay on screen; the full title is in the text and on hover', async () => {
    await navigate(page, '/interviews');
    await page.locator('.interview-row').nth(INTERVIEWS - 1).waitFor();
    const width = VIEWPORTS[viewport].width;
    const rights = await page.locator('.interview-row .tag, .interview-row button').evaluateAll((elements) => elements.map((e) => e.getBoundingClientRect().right));
    expect(rights.length).toBeGreaterThanOrEqual(INTERVIEWS * 2 - 1);
    for (const right of rights) expect(right).toBeLessThanOrEqual(width);
    const title = page.locator('.interview-row__title').first();
    expect(await title.textContent()).toContain(longTitle(INTERVIEWS - 1));
    expect(await title.locator('[title]').getAttribute('title')).toBe(longTitle(INTERVIEWS - 1));
  });

  it('billing: long reasons leave Change and Balance on screen, with the full reason readable', async () => {
    await navigate(page, '/billing');
    await page.locator('tbody tr[data-kind]').nth(INTERVIEWS + 3).waitFor();
    const width = VIEWPORTS[viewport].width;
    const cells = await page.locator('.ledger-table td.num').evaluateAll((elements) => elements.map((e) => e.getBoundingClientRect().right));
    expect(cells.length).toBeGreaterThanOrEqual(2 * (INTERVIEWS + 4));
    for (const right of cells) expect(right).toBeLessThanOrEqual(width);
    const reason = page.locator('tr[data-kind="grant"] .ledger-table__what [title]');
    expect(await reason.getAttribute('title')).toBe(LONG_REASON);
    expect(await reason.textContent()).toContain(LONG_REASON);
    // Clamped to two lines, and whole once it has keyboard focus (and on hover).
    const clamped = () => reason.evaluate((element) => element.scrollHeight > element.clientHeight + 1);
    expect(await clamped()).toBe(true);
    await reason.focus();
    expect(await clamped()).toBe(false);
    await reason.blur();
  });

  it('the sidebar background reaches the bottom of a long page', async () => {
    await navigate(page, '/billing');
    await page.locator('tbody tr[data-kind]').nth(INTERVIEWS + 3).waitFor();
    if (viewport === 'phone') {
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.locator('.sidebar--open').waitFor();
      await page.waitForTimeout(250);
    }
    const { sidebar, documentHeight, viewportHeight } = await page.evaluate(() => ({
      sidebar: document.querySelector('.sidebar')!.getBoundingClientRect().height,
      documentHeight: document.documentElement.scrollHeight,
      viewportHeight: window.innerHeight,
    }));
    expect(documentHeight).toBeGreaterThan(viewportHeight * 2);
    // A phone's drawer is an overlay: it covers the screen it opens on, however long the page.
    expect(sidebar).toBeGreaterThanOrEqual((viewport === 'phone' ? viewportHeight : documentHeight) - 1);
    await shoot(page, `sidebar-long-page-${viewport}`, viewport === 'desktop');
    if (viewport === 'phone') await page.keyboard.press('Escape');
  });
});

describe('phone top bar and favicon', () => {
  it('the phone top bar shows the live balance without opening the menu, and follows a grant', async () => {
    const page = await openPage('phone');
    await signIn(page);
    const balance = page.getByTestId('topbar-balance');
    const credits = (await must('balance', service.from('users').select('credits').eq('id', userId).single()) as { credits: number }).credits;
    await page.waitForFunction((expected) => document.querySelector('[data-testid="topbar-balance"]')?.textContent?.includes(expected), String(credits));
    expect(await balance.isVisible()).toBe(true);
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    const box = await balance.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await must('grant', service.rpc('add_credits', { user_id: userId, amount: 3, kind: 'grant', reason: 'Top bar check' }));
    await page.waitForFunction((expected) => document.querySelector('[data-testid="topbar-balance"]')?.textContent?.includes(expected), String(credits + 3), { timeout: 5000 });
    await shoot(page, 'topbar-balance-phone');
    // The desktop sidebar already shows it: the top bar is the phone's.
    await page.setViewportSize(VIEWPORTS.desktop);
    expect(await balance.isVisible()).toBe(false);
    await page.context().close();
  });

  it('a favicon is linked and served as an image', async () => {
    const page = await openPage('desktop');
    await page.goto(`${WEB_URL}/sign-in`);
    const href = await page.evaluate(() => (document.querySelector('link[rel~="icon"]') as HTMLLinkElement | null)?.href ?? null);
    expect(href).not.toBeNull();
    const response = await fetch(href!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\//);
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
});
