// The phone drawer from the keyboard: opening it moves focus into it, Escape closes it and gives
// focus back to the menu button.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { signUpUser, type TestUser } from '../../test/stack.ts';

let user: TestUser;
beforeEach(async () => { user = await signUpUser('shell'); });
afterEach(async () => {
  cleanup();
  await user.client.removeAllChannels();
});

describe('AppShell', () => {
  it('moves focus into the opened menu and back to the menu button on Escape', async () => {
    renderApp(user.client, '/billing');
    const menu = await screen.findByRole('button', { name: 'Menu' });
    menu.focus();
    await userEvent.keyboard('{Enter}');
    expect(document.activeElement?.textContent).toBe('Dashboard');
    expect(document.getElementById('app-sidebar')?.contains(document.activeElement)).toBe(true);
    await userEvent.keyboard('{Escape}');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Menu' }));
  });
});
