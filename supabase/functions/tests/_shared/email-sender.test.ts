// What the sender records for each claimed mail: the provider's id when it was accepted, a
// failure to retry when the provider failed, and a permanent failure (given up at once) when the
// mail cannot be rendered. The database side (backoff, dead after N) is pgTAP's
// email_outbox.test.sql; this checks what the function tells it.
import assert from 'node:assert/strict';
import { deliver, type ClaimedEmail, type DeliveryResult } from '../../_shared/email/sender.ts';
import { sendEmail } from '../../_shared/email/provider.ts';
import type { SendOutcome } from '../../_shared/email/provider.ts';
import { startEmailApiImitation } from '../utils/email-api-imitation.ts';

const SETTINGS = { apiUrl: '', apiKey: 're_test_key', from: 'Interviews <no-reply@example.test>', siteUrl: 'http://127.0.0.1:5173' };
const INVITATION: ClaimedEmail = {
  id: '0b7d2c1e-5a4f-4e3b-8c9d-1a2b3c4d5e6f',
  to_address: 'bob@example.test',
  template: 'team_invitation',
  params: { team_name: 'Acme', invited_by: 'Alice', role: 'member', token: 'tok_1', expires_at: '2026-12-14T12:00:00Z' },
  attempts: 1,
};

/** deliver() with a real provider client against the imitation, recording what it would store. */
async function deliverThrough(status: number, mail: ClaimedEmail) {
  const api = await startEmailApiImitation({ status });
  const recorded: [string, SendOutcome][] = [];
  try {
    const result = await deliver(mail, {
      siteUrl: SETTINGS.siteUrl,
      send: (outgoing) => sendEmail({ ...SETTINGS, apiUrl: api.baseUrl }, outgoing),
      record: (id, outcome): Promise<DeliveryResult> => {
        recorded.push([id, outcome]);
        return Promise.resolve({ id, status: outcome.ok ? 'sent' : outcome.retry ? 'failed' : 'dead' });
      },
    });
    return { result, recorded, requests: api.requests };
  } finally {
    await api.close();
  }
}

Deno.test('an accepted mail is recorded as sent with the provider\'s message id', async () => {
  const { result, recorded, requests } = await deliverThrough(200, INVITATION);
  assert.equal(result.status, 'sent');
  assert.deepEqual(recorded, [[INVITATION.id, { ok: true, providerMessageId: 'msg_1' }]]);
  assert.equal(requests[0].idempotencyKey, INVITATION.id);
  assert.ok(String(requests[0].body.text).includes('http://127.0.0.1:5173/invite/tok_1'));
});

Deno.test('a failing provider (500) is recorded as a failure to retry, with the error', async () => {
  const { result, recorded } = await deliverThrough(500, INVITATION);
  assert.equal(result.status, 'failed');
  assert.equal(recorded.length, 1);
  const [, outcome] = recorded[0];
  assert.equal(outcome.ok, false);
  if (outcome.ok) return;
  assert.equal(outcome.retry, true);
  assert.match(outcome.error, /500/);
});

Deno.test('a mail that cannot be rendered is never sent and is given up at once (retry false)', async () => {
  const { result, recorded, requests } = await deliverThrough(200, { ...INVITATION, params: { team_name: 'Acme' } });
  assert.equal(result.status, 'dead');
  assert.equal(requests.length, 0);
  const [, outcome] = recorded[0];
  assert.equal(outcome.ok, false);
  if (outcome.ok) return;
  assert.equal(outcome.retry, false);
  assert.match(outcome.error, /invited_by|token/);
});
