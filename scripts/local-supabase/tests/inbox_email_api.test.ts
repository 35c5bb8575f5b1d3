// The local inbox as an HTTP e-mail API (Resend's shape), so the send-email function's own
// provider client is what runs locally: POST /inbox/api/emails with the local EMAIL_API_KEY stores
// the mail beside the auth mails; the same Idempotency-Key twice stores one mail and answers the
// same id; recipients at provider-error.test rehearse a provider outage (500).
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { API_URL, closeDb, stackEnv, uniqueEmail } from '../../../test-support/stack.ts';

afterAll(closeDb);

const EMAILS = `${API_URL}/inbox/api/emails`;

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(EMAILS, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stackEnv().EMAIL_API_KEY}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function mail(to: string) {
  return { from: 'Interviews <no-reply@interviews.localhost>', to: [to], subject: 'You are invited', text: 'Accept: http://127.0.0.1:5173/invite/tok_1', html: '<p>Accept</p>' };
}

async function inboxOf(to: string): Promise<{ id: string; to: string; from?: string; subject: string; text: string; links: string[] }[]> {
  const response = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { messages: { id: string; to: string; from?: string; subject: string; text: string; links: string[] }[] }).messages;
}

describe('the local inbox as an e-mail API', () => {
  it('stores a mail sent with the local key and lists it beside the auth mails, with its links', async () => {
    const to = uniqueEmail('inbox-api');
    const response = await post(mail(to));
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await inboxOf(to)).toEqual([expect.objectContaining({
      id, to, from: 'Interviews <no-reply@interviews.localhost>', subject: 'You are invited',
      text: 'Accept: http://127.0.0.1:5173/invite/tok_1', links: ['http://127.0.0.1:5173/invite/tok_1'],
    })]);
    const page = await (await fetch(`${API_URL}/inbox?to=${encodeURIComponent(to)}`)).text();
    expect(page).toContain('You are invited');
    expect(page).toContain('no-reply@interviews.localhost');
  });

  it('the same Idempotency-Key twice stores one mail and answers the same id', async () => {
    const to = uniqueEmail('inbox-idem');
    const key = crypto.randomUUID();
    const answers = await Promise.all([post(mail(to), { 'Idempotency-Key': key }), post(mail(to), { 'Idempotency-Key': key })]);
    const ids = await Promise.all(answers.map(async (r) => { expect(r.status).toBe(200); return ((await r.json()) as { id: string }).id; }));
    const again = await post(mail(to), { 'Idempotency-Key': key });
    ids.push(((await again.json()) as { id: string }).id);
    expect(new Set(ids).size).toBe(1);
    expect(await inboxOf(to)).toHaveLength(1);
    // Another key is another mail.
    await post(mail(to), { 'Idempotency-Key': crypto.randomUUID() });
    expect(await inboxOf(to)).toHaveLength(2);
  });

  it('refuses a missing key (401) and a wrong key (403), storing nothing', async () => {
    const to = uniqueEmail('inbox-key');
    const missing = await fetch(EMAILS, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(mail(to)) });
    expect(missing.status).toBe(401);
    const wrong = await post(mail(to), { Authorization: 'Bearer re_wrong' });
    expect(wrong.status).toBe(403);
    expect(await inboxOf(to)).toEqual([]);
  });

  it('refuses a mail without from, to, subject or a body with 422 validation_error', async () => {
    const to = uniqueEmail('inbox-invalid');
    for (const broken of [{ ...mail(to), from: undefined }, { ...mail(to), to: [] }, { ...mail(to), subject: '' }, { ...mail(to), text: undefined, html: undefined }]) {
      const response = await post(broken);
      expect(response.status).toBe(422);
      expect(((await response.json()) as { name: string }).name).toBe('validation_error');
    }
    expect(await inboxOf(to)).toEqual([]);
  });

  it('answers 500 for a recipient at provider-error.test (a provider outage to rehearse), storing nothing', async () => {
    const to = `outage-${crypto.randomUUID()}@provider-error.test`;
    const response = await post(mail(to));
    expect(response.status).toBe(500);
    expect(await inboxOf(to)).toEqual([]);
  });
});
