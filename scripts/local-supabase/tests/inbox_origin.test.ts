// The local inbox holds sign-up and recovery links (a session each): only its own origin may read
// it. No CORS header for anyone, a request another origin's page makes is refused, a preflight
// gets no permission; the page itself, its links and Node readers (the tests) work as before.
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { API_URL, anonClient, closeDb, uniqueEmail } from '../../../test-support/stack.ts';
import { latestMailLink } from '../../lib/confirm-signup.ts';

afterAll(closeDb);

const OWN_ORIGIN = new URL(API_URL).origin;

/** A GET with headers fetch will not send (Host, Sec-Fetch-*): status and body. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(path, API_URL);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

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

  it('refuses a DNS-rebinding page: a Host that is not this machine, even with its own Origin or none', async () => {
    const email = uniqueEmail('inbox-rebind');
    await anonClient().auth.signUp({ email, password: 'long-enough-password' });
    const port = new URL(API_URL).port;
    const route = `/inbox/api/messages?to=${encodeURIComponent(email)}`;
    // After rebinding evil.test to 127.0.0.1 the browser treats the inbox as evil.test's own
    // origin: a same-origin GET carries no Origin, or Origin equal to the Host.
    const rebinding: Record<string, string>[] = [
      { Host: `evil.test:${port}` },
      { Host: `evil.test:${port}`, Origin: `http://evil.test:${port}` },
      { Host: `127.0.0.1.evil.test:${port}` },
      { Host: `localhost.evil.test:${port}`, Origin: `http://localhost.evil.test:${port}` },
    ];
    for (const headers of rebinding) {
      const answer = await rawGet(route, headers);
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.body).not.toContain('verify?token=');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await rawGet(route, { Host: host })).status, host).toBe(200);
    }
  });

  it('refuses a cross-site subresource request that names no Origin, and still opens from a link elsewhere', async () => {
    const email = uniqueEmail('inbox-xsite');
    await anonClient().auth.signUp({ email, password: 'long-enough-password' });
    const route = `/inbox/api/messages?to=${encodeURIComponent(email)}`;
    const xsite = await rawGet(route, { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors', Referer: 'http://evil.test/' });
    expect(xsite.status).toBe(403);
    expect(xsite.body).not.toContain('verify?token=');
    // A developer following a link to the inbox from another site: a navigation, which that site cannot read.
    expect((await rawGet(`/inbox?to=${encodeURIComponent(email)}`, { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' })).status).toBe(200);
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
