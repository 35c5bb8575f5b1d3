// The local inbox holds sign-up and recovery links (a session each): only its own origin may read
// it. No CORS header for anyone, a request another origin's page makes is refused, a preflight
// gets no permission; the page itself, its links and Node readers (the tests) work as before.
import { afterAll, describe, expect, it } from 'vitest';
import { API_URL, anonClient, closeDb, uniqueEmail } from '../../../test-support/stack.ts';
import { latestMailLink } from '../../lib/confirm-signup.ts';

afterAll(closeDb);

const OWN_ORIGIN = new URL(API_URL).origin;

describe('the local inbox is same-origin only', () => {
  it('answers a page of another origin with 403 and no Access-Control-Allow-Origin', async () => {
    const email = uniqueEmail('inbox-origin');
    await anonClient().auth.signUp({ email, password: 'long-enough-password' });
    for (const route of [`/inbox/api/messages?to=${encodeURIComponent(email)}`, `/inbox?to=${encodeURIComponent(email)}`, '/inbox/api/messages']) {
      for (const origin of ['http://evil.test', 'http://127.0.0.1:1', 'null']) {
        const response = await fetch(`${API_URL}${route}`, { headers: { Origin: origin } });
        expect(response.status, `${route} from ${origin}`).toBe(403);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
        expect(await response.text()).not.toContain('verify?token=');
      }
    }
  });

  it('gives a preflight from another origin no permission', async () => {
    const response = await fetch(`${API_URL}/inbox/api/messages`, {
      method: 'OPTIONS', headers: { Origin: 'http://evil.test', 'Access-Control-Request-Method': 'GET' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('still serves its own origin and Node readers, without CORS headers and never framed', async () => {
    const email = uniqueEmail('inbox-own');
    await anonClient().auth.signUp({ email, password: 'long-enough-password' });
    const own = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(email)}`, { headers: { Origin: OWN_ORIGIN } });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await own.json()) as { messages: unknown[] }).messages).toHaveLength(1);
    const pageView = await fetch(`${API_URL}/inbox?to=${encodeURIComponent(email)}`);
    expect(pageView.status).toBe(200);
    expect(pageView.headers.get('x-frame-options')).toBe('DENY');
    expect(pageView.headers.get('access-control-allow-origin')).toBeNull();
    expect(await latestMailLink(API_URL, email)).toMatch(/\/auth\/v1\/verify\?token=/);
  });

  it('leaves CORS on the API routes as it was', async () => {
    const response = await fetch(`${API_URL}/auth/v1/health`, { headers: { Origin: 'http://127.0.0.1:5173' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
