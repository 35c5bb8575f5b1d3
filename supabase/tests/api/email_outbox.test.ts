// The e-mail outbox end to end on the running stack: mails queued with SQL (as a feature queues
// them, billing.enqueue_email), the real send-email function called through the gateway with the
// secret key (as the cron job calls it), and the stand-in's inbox as the e-mail API. The test
// stack runs without its own cron (--outbox-cron-ms 0), so these calls are the only senders.
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { API_URL, anonClient, closeDb, db, signUpUser, stackEnv, uniqueEmail } from '../../../test-support/stack.ts';

afterAll(closeDb);

interface OutboxRow {
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  provider_message_id: string | null;
  params: Record<string, unknown>;
  due_in_seconds: number | null;
}

interface InboxMail { id: string; to: string; subject: string; text: string; links: string[] }

async function enqueue(to: string, template = 'test', params: Record<string, unknown> = {}): Promise<string> {
  const { rows } = await db().query<{ id: string }>('select billing.enqueue_email($1, $2, $3, null) as id', [to, template, params]);
  return rows[0].id;
}

async function outboxRow(id: string): Promise<OutboxRow> {
  const { rows } = await db().query<OutboxRow>(`
    select status, attempts, next_attempt_at, last_error, provider_message_id, params,
           extract(epoch from next_attempt_at - now())::int as due_in_seconds
      from billing.email_outbox where id = $1`, [id]);
  return rows[0];
}

async function inboxOf(to: string): Promise<InboxMail[]> {
  const response = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { messages: InboxMail[] }).messages;
}

/** One run of the sender, as the cron job starts it. */
async function sendEmail(token = stackEnv().SECRET_KEY): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${API_URL}/functions/v1/send-email`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('send-email and the outbox', () => {
  it('two senders at once: the queued mail reaches the inbox exactly once and is recorded sent with the provider\'s id', async () => {
    const to = uniqueEmail('outbox-race');
    const id = await enqueue(to, 'test', { message: 'Hello from the outbox' });
    const runs = await Promise.all([sendEmail(), sendEmail()]);
    expect(runs.map((r) => r.status)).toEqual([200, 200]);
    const mails = await inboxOf(to);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toBe('Hello from the outbox');
    const row = await outboxRow(id);
    expect([row.status, row.attempts, row.provider_message_id, row.next_attempt_at]).toEqual(['sent', 1, mails[0].id, null]);
  });

  it('an invitation arrives with its link, and the token is gone from the outbox once sent', async () => {
    const to = uniqueEmail('outbox-invite');
    const token = crypto.randomBytes(16).toString('hex');
    const id = await enqueue(to, 'team_invitation', { team_name: 'Acme <Hiring>', invited_by: 'Alice', role: 'member', token, expires_at: '2030-01-01T12:00:00Z' });
    expect((await sendEmail()).status).toBe(200);
    const [mail] = await inboxOf(to);
    expect(mail.subject).toBe('Alice invited you to Acme <Hiring>');
    expect(mail.links).toContain(`${stackEnv().SITE_URL}/invite/${token}`);
    const row = await outboxRow(id);
    expect(row.status).toBe('sent');
    expect(row.params.token).toBe('[removed after sending]');
    expect(row.params.team_name).toBe('Acme <Hiring>');
  });

  it('a sender that died after the provider accepted: the next one sends with the same Idempotency-Key, and the recipient still gets one mail', async () => {
    const to = uniqueEmail('outbox-crash');
    const id = await enqueue(to);
    // The first sender claimed it, the provider accepted it, and the sender died before recording.
    await db().query(`update billing.email_outbox set status = 'sending', attempts = 1, locked_until = now() - interval '1 second' where id = $1`, [id]);
    const first = await fetch(`${API_URL}/inbox/api/emails`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${stackEnv().EMAIL_API_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': id },
      body: JSON.stringify({ from: 'x@interviews.localhost', to: [to], subject: 'first try', text: 'first try' }),
    });
    const { id: firstId } = (await first.json()) as { id: string };
    // Its lease has run out: the next run claims it again and sends it again.
    expect((await sendEmail()).status).toBe(200);
    const mails = await inboxOf(to);
    expect(mails.map((m) => m.id)).toEqual([firstId]);
    const row = await outboxRow(id);
    expect([row.status, row.attempts, row.provider_message_id]).toEqual(['sent', 2, firstId]);
  });

  it('a provider answering 500 leaves the mail failed, due again later, its error visible to support', async () => {
    const to = `outage-${crypto.randomUUID()}@provider-error.test`;
    const id = await enqueue(to);
    const run = await sendEmail();
    expect(run.status).toBe(200);
    let row = await outboxRow(id);
    expect([row.status, row.attempts]).toEqual(['failed', 1]);
    expect(row.due_in_seconds).toBeGreaterThan(50);
    expect(row.due_in_seconds).toBeLessThanOrEqual(60);
    expect(row.last_error).toMatch(/answered 500/);
    const { rows } = await db().query<{ problem: string; last_error: string }>('select problem, last_error from billing.email_outbox_problems where id = $1', [id]);
    expect(rows).toEqual([{ problem: 'failed', last_error: row.last_error }]);
    // Not due yet: the next run leaves it alone.
    await sendEmail();
    row = await outboxRow(id);
    expect([row.status, row.attempts]).toEqual(['failed', 1]);
    expect(await inboxOf(to)).toEqual([]);
  });

  it('anon is refused (401); a signed-in recruiter may kick a flush', async () => {
    const anon = await sendEmail(stackEnv().ANON_KEY);
    expect(anon.status).toBe(401);
    const { session } = await signUpUser('outbox-kick');
    const kick = await sendEmail(session.access_token);
    expect(kick.status).toBe(200);
    expect(kick.body).toMatchObject({ claimed: expect.any(Number), sent: expect.any(Number) });
    // The SPA's way: supabase-js functions.invoke with the user's session.
    const { error } = await anonClient().functions.invoke('send-email', { headers: { Authorization: `Bearer ${session.access_token}` } });
    expect(error).toBeNull();
  });
});
