// Test helper: a tiny imitation of Stripe's API (the only part of the system allowed to be
// imitated), speaking its protocol: form-encoded POST /v1/checkout/sessions and /v1/payment_intents
// (off-session charges: pm_card_chargeCustomerFail is declined with a card_error carrying the
// intent, as Stripe does) with a Bearer secret key, JSON objects back, Stripe's error envelope on
// failure. It records what it was sent.

export interface StripeImitation {
  baseUrl: string;
  requests: { path: string; authorization: string | null; idempotencyKey: string | null; form: URLSearchParams }[];
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
      requests.push({ path, authorization: req.headers.get('Authorization'), idempotencyKey: req.headers.get('Idempotency-Key'), form });
      const headers = { 'Content-Type': 'application/json', 'Request-Id': `req_${crypto.randomUUID().slice(0, 12)}` };
      if (!options.refuse && req.method === 'POST' && path === '/v1/payment_intents') return paymentIntent(form, headers);
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

/** POST /v1/payment_intents with confirm + off_session: succeeded, or Stripe's card_error for a declining card. */
function paymentIntent(form: URLSearchParams, headers: Record<string, string>): Response {
  const metadata: Record<string, string> = {};
  for (const [key, value] of form) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match) metadata[match[1]] = value;
  }
  const declined = form.get('payment_method') === 'pm_card_chargeCustomerFail';
  const intent = {
    id: `pi_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`, object: 'payment_intent',
    amount: Number(form.get('amount')), amount_received: declined ? 0 : Number(form.get('amount')), currency: form.get('currency'),
    customer: form.get('customer'), payment_method: form.get('payment_method'), setup_future_usage: null, metadata,
    status: declined ? 'requires_payment_method' : 'succeeded',
    last_payment_error: declined ? { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } : null,
  };
  if (!declined) return new Response(JSON.stringify(intent), { status: 200, headers });
  return new Response(JSON.stringify({
    error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', payment_intent: intent },
  }), { status: 402, headers });
}
