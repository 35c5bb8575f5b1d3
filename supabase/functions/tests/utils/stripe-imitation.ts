// Test helper: a tiny imitation of Stripe's API (the only part of the system allowed to be
// imitated), speaking its protocol: form-encoded POST /v1/checkout/sessions and
// /v1/billing_portal/sessions, GET /v1/prices/:id and /v1/invoice_payments?invoice=… with a
// Bearer secret key, JSON objects back, Stripe's error envelope on failure. It records what it
// was sent (a GET's query string as its form).

export interface StripeImitation {
  baseUrl: string;
  requests: { path: string; authorization: string | null; form: URLSearchParams }[];
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
      requests.push({ path, authorization: req.headers.get('Authorization'), form });
      const headers = { 'Content-Type': 'application/json', 'Request-Id': `req_${crypto.randomUUID().slice(0, 12)}` };
      const billingObject = options.refuse ? null : billing(req.method, path, form, options.lookupKeys ?? {});
      if (billingObject) return new Response(JSON.stringify(billingObject), { status: 200, headers });
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
