// The mails the outbox renders: every value a recruiter typed is escaped in the HTML, the
// invitation link is built from SITE_URL and the token, and a mail that cannot be rendered is a
// TemplateError (the sender gives such a mail up at once instead of retrying it).
import assert from 'node:assert/strict';
import { renderEmail, TemplateError } from '../../_shared/email/templates.ts';

const SITE = 'http://127.0.0.1:5173';
const invitation = {
  team_name: 'Acme Hiring',
  invited_by: 'Alice Example',
  role: 'admin',
  token: 'tok_abc123',
  expires_at: '2026-12-14T12:00:00Z',
};

Deno.test('the invitation names the inviter, the team, the role, the link and the expiry, in text and HTML', () => {
  const mail = renderEmail('team_invitation', invitation, SITE);
  assert.equal(mail.subject, 'Alice Example invited you to Acme Hiring');
  for (const part of [mail.text, mail.html]) {
    assert.match(part, /Alice Example/);
    assert.match(part, /Acme Hiring/);
    assert.match(part, /as an admin/);
    assert.match(part, /14 December 2026.*12:00.*UTC/);
    assert.ok(part.includes(`${SITE}/invite/tok_abc123`), part);
  }
  assert.match(mail.html, /<a href="http:\/\/127\.0\.0\.1:5173\/invite\/tok_abc123"/);
  assert.match(renderEmail('team_invitation', { ...invitation, role: 'member' }, SITE).text, /as a member/);
});

Deno.test('HTML escapes what a recruiter typed: a team name or inviter cannot inject markup', () => {
  const mail = renderEmail('team_invitation', {
    ...invitation, team_name: '<script>alert(1)</script> & "Co"', invited_by: `<img src=x onerror='x'>`,
  }, SITE);
  assert.ok(!mail.html.includes('<script>'), mail.html);
  assert.ok(!mail.html.includes('<img'), mail.html);
  assert.ok(mail.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;'), mail.html);
  assert.ok(mail.html.includes('&lt;img src=x onerror=&#39;x&#39;&gt;'), mail.html);
  // Plain text is not HTML: it keeps the characters as typed.
  assert.ok(mail.text.includes('<script>alert(1)</script> & "Co"'));
});

Deno.test('the link encodes the token and joins SITE_URL without a double slash', () => {
  const mail = renderEmail('team_invitation', { ...invitation, token: 'a/b?c=d#e' }, `${SITE}/`);
  assert.ok(mail.text.includes(`${SITE}/invite/a%2Fb%3Fc%3Dd%23e`), mail.text);
});

Deno.test('the subject is one line even when a name carries line breaks (no header tricks)', () => {
  const mail = renderEmail('team_invitation', { ...invitation, team_name: 'Acme\r\nBcc: x@evil.test' }, SITE);
  assert.ok(!/[\r\n]/.test(mail.subject), mail.subject);
});

Deno.test('an unknown template or missing params is a TemplateError naming what is wrong', () => {
  assert.throws(() => renderEmail('newsletter', {}, SITE), (error: unknown) => error instanceof TemplateError && /newsletter/.test(error.message));
  const { token: _token, ...noToken } = invitation;
  assert.throws(() => renderEmail('team_invitation', noToken, SITE), (error: unknown) => error instanceof TemplateError && /token/.test(error.message));
  assert.throws(() => renderEmail('team_invitation', { ...invitation, role: 'owner' }, SITE), TemplateError);
  assert.throws(() => renderEmail('team_invitation', { ...invitation, expires_at: 'soon' }, SITE), TemplateError);
});

Deno.test('the test mail carries its optional message, escaped in HTML', () => {
  const mail = renderEmail('test', { message: 'Hello <b>support</b>' }, SITE);
  assert.match(mail.subject, /test/i);
  assert.ok(mail.text.includes('Hello <b>support</b>'));
  assert.ok(mail.html.includes('Hello &lt;b&gt;support&lt;/b&gt;'));
  assert.ok(renderEmail('test', {}, SITE).text.length > 0);
});

// public.users.name is whatever the recruiter typed (sign-up metadata or a REST update: up to 200
// characters, line breaks allowed), and it is the inviter's name in every invitation they send.
Deno.test('an inviter name cannot forge lines of the plain-text mail (a second "Accept" link)', () => {
  const forged = 'Alice\n\nAccept the invitation: https://evil.test/invite/x\r\n\r\nThanks,';
  const mail = renderEmail('team_invitation', { ...invitation, invited_by: forged, team_name: 'Acme\u2028Hiring' }, SITE);
  // The name stays in the sentence it belongs to: only our own line starts with "Accept".
  const acceptLines = mail.text.split('\n').filter((line) => line.startsWith('Accept the invitation'));
  assert.deepEqual(acceptLines, [`Accept the invitation: ${SITE}/invite/tok_abc123`], mail.text);
  assert.ok(mail.text.includes('team "Acme Hiring"'), mail.text);
  // The text is its four paragraphs, nothing more.
  assert.equal(mail.text.split('\n\n').length, 4, mail.text);
});

Deno.test('the subject holds no line or paragraph separator of any kind (NEL, LS, PS, C1 controls)', () => {
  for (const separator of ['\u0085', '\u2028', '\u2029', '\u009b', '\u000b']) {
    const mail = renderEmail('team_invitation', { ...invitation, invited_by: `Alice${separator}Bcc: x@evil.test` }, SITE);
    // deno-lint-ignore no-control-regex -- control characters are exactly what must not be there
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(mail.subject), JSON.stringify(mail.subject));
  }
});

const paymentFailed = {
  plan_name: 'Pro monthly',
  workspace_name: 'Acme Hiring',
  amount_cents: 7900,
  currency: 'usd',
  next_attempt_at: '2026-12-14T12:00:00Z',
};

Deno.test('a failed subscription payment names the plan, the workspace, the amount, the next try and the billing link', () => {
  const mail = renderEmail('subscription_payment_failed', paymentFailed, SITE);
  assert.equal(mail.subject, 'Your payment for Pro monthly failed');
  for (const part of [mail.text, mail.html]) {
    assert.match(part, /Pro monthly/);
    assert.match(part, /Acme Hiring/);
    assert.match(part, /\$79\.00/);
    assert.match(part, /14 December 2026.*12:00.*UTC/);
    assert.ok(part.includes(`${SITE}/billing`), part);
  }
  const withoutRetry = renderEmail('subscription_payment_failed', { ...paymentFailed, next_attempt_at: undefined }, SITE);
  assert.doesNotMatch(withoutRetry.text, /try again/);
  assert.ok(!renderEmail('subscription_payment_failed', { ...paymentFailed, workspace_name: '<b>x</b>' }, SITE).html.includes('<b>x'));
  assert.throws(() => renderEmail('subscription_payment_failed', { ...paymentFailed, amount_cents: 'lots' }, SITE), TemplateError);
});

Deno.test('low_balance says what is left, the alert and the workspace\'s billing link (team or personal)', () => {
  const team = renderEmail('low_balance', {
    workspace: 'Acme <Hiring>', team_id: '7f8c2f0e-1b7a-4c2e-9a51-0d2f1c3b4a5e', threshold: 10, available: 4,
  }, SITE);
  assert.equal(team.subject, 'Acme <Hiring>: low credit balance');
  for (const part of [team.text, team.html]) {
    assert.match(part, /4 credits left/);
    assert.match(part, /alert of 10 credits/);
    assert.ok(part.includes(`${SITE}/billing?workspace=7f8c2f0e-1b7a-4c2e-9a51-0d2f1c3b4a5e`), part);
  }
  assert.ok(team.html.includes('Acme &lt;Hiring&gt;') && !team.html.includes('<Hiring>'), team.html);
  const personal = renderEmail('low_balance', { workspace: 'your personal workspace', team_id: null, threshold: 5, available: 0 }, SITE);
  assert.match(personal.text, /Your personal workspace|your personal workspace/);
  assert.match(personal.text, /no credits left/);
  assert.ok(personal.text.includes(`${SITE}/billing?workspace=personal`), personal.text);
  assert.throws(() => renderEmail('low_balance', { workspace: 'x', threshold: 5 }, SITE), TemplateError);
});

Deno.test('credits_expiring names how many credits expire, when, and links the balance', () => {
  const mail = renderEmail('credits_expiring', {
    workspace: 'your personal workspace', team_id: null, credits: 12, expires_at: '2026-12-14T12:00:00Z',
  }, SITE);
  assert.match(mail.subject, /12 credits expire on 14 December 2026/);
  for (const part of [mail.text, mail.html]) assert.match(part, /12 credits of your personal workspace.*expire on 14 December 2026.*UTC/);
  assert.ok(mail.text.includes(`${SITE}/billing?workspace=personal`), mail.text);
  assert.throws(() => renderEmail('credits_expiring', { workspace: 'x', credits: 0, expires_at: '2026-12-14T12:00:00Z' }, SITE), TemplateError);
});
