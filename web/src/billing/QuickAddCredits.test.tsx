// "Add 10 credits" when the payment function fails: the recruiter reads that the payment service
// is unavailable and nothing was charged, not that their internet is down (a function that cannot
// boot answers 503 without CORS headers, which a browser reports as a failed fetch).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { clientWithFailingFunctions, paymentsOf, serverBalance, signUpUser, type TestUser } from '../../test/stack.ts';

let user: TestUser;
beforeEach(async () => { user = await signUpUser('quick-add'); });
afterEach(() => cleanup());

const bootError = async (): Promise<Response> => new Response(
  JSON.stringify({ code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' }),
  { status: 503, headers: { 'Content-Type': 'application/json' } });
const blockedByCors = async (): Promise<Response> => { throw new TypeError('Failed to fetch'); };

describe('QuickAddCredits when the checkout function fails', () => {
  for (const [how, answer] of [['it cannot boot (503 BOOT_ERROR)', bootError], ['the browser sees a failed fetch', blockedByCors]] as const) {
    it(`${how}: "The payment service is unavailable … Nothing was charged", not the network`, async () => {
      const before = await serverBalance(user.userId);
      const client = await clientWithFailingFunctions(user, answer);
      renderApp(client, '/billing');
      const card = (await screen.findByRole('heading', { name: 'Quick add' })).closest('section');
      if (!card) throw new Error('quick add card not found');
      const add = await within(card).findByRole('button', { name: /Add 10 credits/ });
      await waitFor(() => expect((add as HTMLButtonElement).disabled).toBe(false));
      await userEvent.click(add);
      const alert = await within(card).findByRole('alert');
      expect(alert.getAttribute('data-error-code')).toBe('payment_unavailable');
      expect(alert.textContent).toMatch(/The payment service is unavailable/);
      expect(alert.textContent).toMatch(/Nothing was charged/);
      expect(alert.textContent).not.toMatch(/Can't reach the server|internet connection/);
      expect(await paymentsOf(user.userId)).toEqual([]);
      expect(await serverBalance(user.userId)).toBe(before);
      await client.removeAllChannels();
    });
  }
});
