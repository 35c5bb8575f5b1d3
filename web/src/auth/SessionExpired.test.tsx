// A stored session the server no longer accepts must end in the sign-in page with a clear
// notice, never a page stuck on errors. The token is signed with the wrong secret, so the real
// API server rejects it exactly as it rejects a revoked or expired one.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { renderApp } from '../../test/renderApp.tsx';
import { clientWithStoredSession, signHs256, signUpUser } from '../../test/stack.ts';

afterEach(cleanup);

describe('expired session', () => {
  it('signs the user out and explains why', async () => {
    const user = await signUpUser('expired');
    const { data } = await user.client.auth.getSession();
    if (!data.session) throw new Error('no session after sign-up');
    const now = Math.floor(Date.now() / 1000);
    const rejected = signHs256({ sub: user.userId, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 }, 'not-the-server-secret-not-the-server-secret');
    const client = await clientWithStoredSession({ ...data.session, access_token: rejected, expires_at: now + 3600 });

    renderApp(client, '/billing');
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/sign-in'), { timeout: 10_000 });
    const notice = await screen.findByRole('alert');
    expect(notice.textContent).toMatch(/your session has expired/i);
    expect(notice.textContent).toMatch(/sign in again/i);
    await client.removeAllChannels();
  });
});
