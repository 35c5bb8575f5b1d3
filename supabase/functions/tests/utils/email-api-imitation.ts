// Test helper: a tiny imitation of a Resend-compatible e-mail API (an outside provider, like the
// Stripe imitation): POST /emails with a Bearer key and JSON, `{ id }` back. It records what it
// was sent and answers with the status a test asks for.

export interface EmailApiRequest {
  method: string;
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  contentType: string | null;
  body: Record<string, unknown>;
}

export interface EmailApiImitation {
  baseUrl: string;
  requests: EmailApiRequest[];
  close(): Promise<void>;
}

/** `status` 200 answers `{ id }`; any other status answers a Resend-style error body with it. */
export function startEmailApiImitation(options: { status?: number } = {}): Promise<EmailApiImitation> {
  const requests: EmailApiRequest[] = [];
  const status = options.status ?? 200;
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: '127.0.0.1',
      port: 0,
      onListen: ({ port }) => resolve({ baseUrl: `http://127.0.0.1:${port}`, requests, close: () => server.shutdown() }),
    }, async (req) => {
      const text = await req.text();
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { unparsed: text };
      }
      requests.push({
        method: req.method,
        path: new URL(req.url).pathname,
        authorization: req.headers.get('Authorization'),
        idempotencyKey: req.headers.get('Idempotency-Key'),
        contentType: req.headers.get('Content-Type'),
        body,
      });
      const headers = { 'Content-Type': 'application/json' };
      if (status === 200) return new Response(JSON.stringify({ id: `msg_${requests.length}` }), { status, headers });
      return new Response(JSON.stringify({ statusCode: status, name: status >= 500 ? 'application_error' : 'validation_error',
        message: status >= 500 ? 'Something went wrong at the provider' : 'Invalid `to` field' }), { status, headers });
    });
  });
}

/** An address nothing listens on: connecting fails at once. */
export const UNREACHABLE_URL = 'http://127.0.0.1:9';
