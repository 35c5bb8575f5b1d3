// Test helper: a tiny imitation of Stripe's API (the only part of the system allowed to be
// imitated), speaking its protocol: form-encoded POST /v1/checkout/sessions with a Bearer secret
// key, JSON objects back, Stripe's error envelope on failure. It records what it was sent.

export interface StripeImitation {
  baseUrl: string;
  requests: { path: string; authorization: string | null; form: URLSearchParams }[];
  close(): Promise<void>;
}

export function startStripeImitation(options: { refuse?: boolean } = {}): Promise<StripeImitation> {
  const requests: StripeImitation['requests'] = [];
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: '127.0.0.1',
      port: 0,
      onListen: ({ port }) => resolve({ baseUrl: `http://127.0.0.1:${port}`, requests, close: () => server.shutdown() }),
    }, async (req) => {
      const path = new URL(req.url).pathname;
      const form = new URLSearchParams(await req.text());
      requests.push({ path, authorization: req.headers.get('Authorization'), form });
      const headers = { 'Content-Type': 'application/json', 'Request-Id': `req_${crypto.randomUUID().slice(0, 12)}` };
      if (options.refuse || req.method !== 'POST' || path !== '/v1/checkout/sessions') {
        return new Response(JSON.stringify({
          error: { type: 'invalid_request_error', code: 'parameter_invalid', message: 'No such price: price_missing', param: 'line_items[0][price]' },
        }), { status: 400, headers });
      }
      const id = `cs_test_${crypto.randomUUID().replaceAll('-', '')}`;
      return new Response(JSON.stringify({
        id,
        object: 'checkout.session',
        mode: form.get('mode'),
        amount_total: Number(form.get('line_items[0][price_data][unit_amount]') ?? 0),
        currency: form.get('line_items[0][price_data][currency]'),
        client_reference_id: form.get('client_reference_id'),
        payment_status: 'unpaid',
        status: 'open',
        url: `https://checkout.stripe.com/c/pay/${id}`,
      }), { status: 200, headers });
    });
  });
}
