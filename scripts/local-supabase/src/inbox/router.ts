// /inbox: the page listing the mail the local stack "sent" (to, subject, time, body with
// clickable links): the auth server's, and the send-email function's through POST
// /inbox/api/emails (email-api.ts, the e-mail API it uses in production); and
// /inbox/api/messages?to=<address>, the JSON the tests read links from.
// Same origin only: the mail holds sign-up and recovery links (a session each), so unlike every
// other route of the stack the inbox sends no CORS headers, and a request a page of another
// origin makes (its browser says so in Origin or Sec-Fetch-Site) is refused, as is one whose Host
// is not 127.0.0.1/localhost (a DNS-rebinding page): no page a developer visits can read it.
// Opening the page, following its links and reading it from Node (the tests) need no CORS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { emailApiSend } from './email-api.ts';
import type { Mail, Mailbox } from './mailbox.ts';

/** Like http.ts's send, without its CORS headers. */
function reply(res: ServerResponse, status: number, body: string, contentType: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    // The page is never framed by another site (clickjacking its links) and its JSON never sniffed as script.
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

const replyJson = (res: ServerResponse, status: number, body: unknown): void =>
  reply(res, status, JSON.stringify(body), 'application/json; charset=utf-8');

/** The names of this machine the stack listens on (127.0.0.1 only), with or without a port. */
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?$/i;

/**
 * A request a page of another origin made, or one the browser sent for a page that only calls
 * itself this origin. Browsers name a cross-origin caller in Origin (always, on CORS requests) and
 * a cross-site subresource load in Sec-Fetch-Site. A DNS-rebinding page (evil.test resolved to
 * 127.0.0.1 after it loaded) is same-origin to the browser, sends no Origin on a GET, yet still
 * names its own host in Host: so Host must be this machine's loopback name.
 */
function fromAnotherOrigin(req: IncomingMessage): boolean {
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) return true;
  // A navigation (a link to the inbox on another site) is fine: that site cannot read the page.
  if (req.headers['sec-fetch-site'] === 'cross-site' && req.headers['sec-fetch-mode'] !== 'navigate') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return origin.toLowerCase() !== `http://${host.toLowerCase()}`;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The body with its links made clickable (only the links we put there, so nothing else turns into HTML). */
function bodyHtml(mail: Mail): string {
  let html = escape(mail.text);
  for (const link of mail.links) html = html.replaceAll(escape(link), `<a href="${escape(link)}">${escape(link)}</a>`);
  return html;
}

function page(mails: Mail[], to: string | undefined): string {
  const items = mails.map((mail) => `
    <article>
      <h2>${escape(mail.subject)}</h2>
      <p class="meta">${mail.from ? `From ${escape(mail.from)} · ` : ''}To <strong>${escape(mail.to)}</strong> · <time datetime="${mail.sentAt}">${escape(new Date(mail.sentAt).toLocaleString('en-GB', { timeZone: 'UTC' }))} UTC</time></p>
      <pre>${bodyHtml(mail)}</pre>
    </article>`).join('');
  const empty = `<p>No mail${to ? ` to ${escape(to)}` : ''} yet. Sign up in the app and the confirmation e-mail shows up here.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local inbox</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 760px; padding: 16px; color: #1f2933; }
  article { border: 1px solid #d9e2ec; border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
  h2 { font-size: 1.1rem; margin: 0 0 4px; } .meta { margin: 0; color: #52606d; font-size: .9rem; }
  pre { white-space: pre-wrap; word-break: break-all; font: inherit; } a { color: #2251cc; }
</style></head>
<body><h1>Local inbox</h1>
<p>Mail the local stack would have sent (auth mails, and the outbox's through send-email), newest first. Nothing leaves this machine. <a href="/inbox">Reload</a></p>
${mails.length ? items : empty}
</body></html>`;
}

/** `emailApiKey`: the Bearer key POST /inbox/api/emails requires (the functions' EMAIL_API_KEY). */
export function createInboxHandler(mailbox: Mailbox, emailApiKey: string) {
  return async function handleInbox(req: IncomingMessage, res: ServerResponse, url: URL, subPath: string): Promise<void> {
    if (fromAnotherOrigin(req)) {
      replyJson(res, 403, { code: 'cross_origin', message: 'The local inbox answers only pages of its own origin' });
      return;
    }
    const route = subPath.replace(/\/+$/, '') || '/';
    if (route === '/api/emails' && req.method === 'POST') {
      const answer = await emailApiSend(req, mailbox, emailApiKey);
      replyJson(res, answer.status, answer.body);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      replyJson(res, 405, { code: 'method_not_allowed', message: 'The inbox is read-only (mail is sent with POST /inbox/api/emails)' });
      return;
    }
    const to = url.searchParams.get('to') ?? undefined;
    if (route === '/') reply(res, 200, page(mailbox.list(to), to), 'text/html; charset=utf-8');
    else if (route === '/api/messages') replyJson(res, 200, { messages: mailbox.list(to) });
    else replyJson(res, 404, { code: 'not_found', message: `No inbox route ${route}` });
  };
}
