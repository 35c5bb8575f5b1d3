// Test helper: a tiny imitation of Stripe's API (the only part of the system allowed to be
// imitated), speaking its protocol: form-encoded POST /v1/checkout/sessions,
// /v1/billing_portal/sessions and /v1/payment_intents (off-session charges: pm_card_chargeCustomerFail
// is declined with a card_error carrying the intent, as Stripe does), GET /v1/prices/:id and
// /v1/invoice_payments?invoice=… with a Bearer secret key, JSON objects back, Stripe's error envelope
// on failure. It records what it was sent (a GET's query string as its form).

export interface StripeImitation {
  baseUrl: string;
  requests: { path: string; authorization: string | null; idempotencyKey: string | null; form: URLSearchParams }[];
  close(): Promise<void>;
}

export function startStripeImitation(options: { refuse?: boolean; lookupKeys?: Record<string, string> } = {}): Promise<StripeImitation> {
  const requests: StripeImitation['requests'] = [];
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: '127.0.0.1',
      port: 0,
      onListen: ({ port }) => resolve({ baseUrl: `http://127.0.0.1:${port}`, requests, close: () => server.shutdown() }),
    }, async (req) => {
      const url = new URL(req.url);
      const path = url.pathname;
      const form = req.method === 'GET' ? url.searchParams : new URLSearchParams(await req.text());
      requests.push({ path, authorization: req.headers.get('Authorization'), idempotencyKey: req.headers.get('Idempotency-Key'), form });
      const headers = { 'Content-Type': 'application/json', 'Request-Id': `req_${crypto.randomUUID().slice(0, 12)}` };
      const billingObject = options.refuse ? null : billing(req.method, path, form, options.lookupKeys ?? {});
      if (billingObject) return new Response(JSON.stringify(billingObject), { status: 200, headers });
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

/** The Billing endpoints the subscription code calls, or null for any other request. */
function billing(method: string, path: string, form: URLSearchParams, lookupKeys: Record<string, string>): Record<string, unknown> | null {
  if (method === 'POST' && path === '/v1/billing_portal/sessions') {
    const id = `bps_test_${crypto.randomUUID().slice(0, 8)}`;
    return { id, object: 'billing_portal.session', customer: form.get('customer'), return_url: form.get('return_url'), url: `https://billing.stripe.com/p/session/${id}` };
  }
  const price = /^\/v1\/prices\/([^/]+)$/.exec(path);
  if (method === 'GET' && price) {
    return { id: price[1], object: 'price', active: true, currency: 'usd', lookup_key: lookupKeys[price[1]] ?? null, type: 'recurring' };
  }
  if (method === 'GET' && path === '/v1/invoice_payments') {
    const invoice = form.get('invoice');
    return {
      object: 'list',
      data: [{ id: `inpay_${invoice}`, object: 'invoice_payment', invoice, status: 'paid', is_default: true, payment: { type: 'payment_intent', payment_intent: `pi_of_${invoice}` } }],
      has_more: false,
      url: '/v1/invoice_payments',
    };
  }
  return null;
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
