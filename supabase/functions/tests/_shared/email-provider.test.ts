// The e-mail API client: the request a Resend-compatible API expects (POST {EMAIL_API_URL}/emails,
// Bearer key, JSON {from, to: [..], subject, html, text}, Idempotency-Key = the outbox id), and
// which failures are worth retrying.
import assert from 'node:assert/strict';
import { sendEmail } from '../../_shared/email/provider.ts';
import type { EmailSettings } from '../../_shared/email/settings.ts';
import { startEmailApiImitation, UNREACHABLE_URL } from '../utils/email-api-imitation.ts';

const MAIL = { id: '6f1c9a52-3b7e-4c1a-9d7e-2f6b8a4c1e01', to: 'bob@example.test', subject: 'Hi', text: 'Hello', html: '<p>Hello</p>' };

function settings(apiUrl: string): EmailSettings {
  return { apiUrl, apiKey: 're_test_key', from: 'Interviews <no-reply@example.test>', siteUrl: 'http://127.0.0.1:5173' };
}

Deno.test('sends POST /emails with the Bearer key, the outbox id as Idempotency-Key and the Resend JSON body', async () => {
  const api = await startEmailApiImitation();
  try {
    const outcome = await sendEmail(settings(`${api.baseUrl}/`), MAIL);
    assert.deepEqual(outcome, { ok: true, providerMessageId: 'msg_1' });
    assert.equal(api.requests.length, 1);
    const [request] = api.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/emails');
    assert.equal(request.authorization, 'Bearer re_test_key');
    assert.equal(request.idempotencyKey, MAIL.id);
    assert.match(request.contentType ?? '', /^application\/json/);
    assert.deepEqual(request.body, { from: 'Interviews <no-reply@example.test>', to: ['bob@example.test'], subject: 'Hi', html: '<p>Hello</p>', text: 'Hello' });
  } finally {
    await api.close();
  }
});

Deno.test('a 5xx from the API is a failure to retry, with the status and the API\'s message', async () => {
  const api = await startEmailApiImitation({ status: 500 });
  try {
    const outcome = await sendEmail(settings(api.baseUrl), MAIL);
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.equal(outcome.retry, true);
    assert.match(outcome.error, /500/);
    assert.match(outcome.error, /Something went wrong at the provider/);
  } finally {
    await api.close();
  }
});

Deno.test('a 429 (rate limit) is retried; a 422 (the mail itself is refused) is not', async () => {
  for (const [status, retry] of [[429, true], [422, false], [401, true]] as const) {
    const api = await startEmailApiImitation({ status });
    try {
      const outcome = await sendEmail(settings(api.baseUrl), MAIL);
      assert.deepEqual(outcome.ok ? 'ok' : [outcome.retry, new RegExp(String(status)).test(outcome.error)], [retry, true], String(status));
    } finally {
      await api.close();
    }
  }
});

Deno.test('an unreachable API is a failure to retry that says where it tried', async () => {
  const outcome = await sendEmail(settings(UNREACHABLE_URL), MAIL);
  assert.equal(outcome.ok, false);
  if (outcome.ok) return;
  assert.equal(outcome.retry, true);
  assert.ok(outcome.error.includes(`${UNREACHABLE_URL}/emails`), outcome.error);
});

/** An API that answers 200 and its headers, then breaks the connection in the middle of the body. */
function startBrokenBodyApi(): { baseUrl: string; close: () => Promise<void> } {
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, async (req) => {
    await req.body?.cancel();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id": "msg_'));
        setTimeout(() => controller.error(new Error('connection lost')), 50);
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  return { baseUrl: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

// The answer's body is part of the request: a connection lost (or the 10 s timeout running out)
// while it is read is a failure to retry, recorded with its reason, not an exception that leaves
// the mail `sending` with no error until its lease runs out.
Deno.test('an answer whose body breaks off is a failure to retry (not an exception)', async () => {
  const api = startBrokenBodyApi();
  try {
    const outcome = await sendEmail(settings(api.baseUrl), MAIL);
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.equal(outcome.retry, true);
    assert.match(outcome.error, /answer/);
  } finally {
    await api.close();
  }
});
