// The production provider: Stripe Checkout (mode `payment`, one line item for the plan).
import Stripe from 'stripe';
import { HttpError } from './errors.ts';
import {
  checkoutMetadata,
  type CheckoutInput,
  type CreatedCheckout,
  type InvoiceSnapshot,
  type PaymentEvent,
  type PaymentProvider,
  type PortalInput,
} from './payment-provider.ts';
import { verifyStripeEvent } from './stripe-events.ts';

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** Only for tests that point the SDK at an imitation of Stripe's API speaking its protocol. */
  apiBase?: { host: string; port: number; protocol: 'http' | 'https' };
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeProviderOptions) {
    this.stripe = new Stripe(options.secretKey, {
      httpClient: Stripe.createFetchHttpClient(),
      maxNetworkRetries: 1,
      ...(options.apiBase ?? {}),
    });
  }

  async createCheckout(input: CheckoutInput): Promise<CreatedCheckout> {
    const { plan } = input;
    const metadata = checkoutMetadata(input);
    // A configured Stripe price wins; otherwise the price comes from our plan row. The webhook
    // compares the paid amount with the plan either way, so a misconfigured price credits nothing.
    const lineItem = plan.provider_price_id
      ? { price: plan.provider_price_id, quantity: 1 }
      : { price_data: { currency: plan.currency, unit_amount: plan.price_cents, product_data: { name: plan.name } }, quantity: 1 };
    try {
      const session = await this.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [lineItem],
        client_reference_id: input.userId,
        metadata,
        payment_intent_data: { metadata },
        ...(input.email ? { customer_email: input.email } : {}),
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      });
      if (!session.url) throw new Error('Stripe returned a session without a URL');
      return { provider: 'stripe', sessionId: session.id, url: session.url };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`stripe checkout failed: ${reason}`);
      throw new HttpError(502, 'provider_error', `The payment provider refused the checkout: ${reason}`);
    }
  }

  /**
   * Checkout in mode `subscription`. The price: the plan's Stripe price (a recurring price whose
   * lookup_key is the plan id, so plan changes in the portal map back), else one made from the
   * plan row. The metadata goes on the subscription too: every invoice carries a snapshot of it.
   */
  async createSubscriptionCheckout(input: CheckoutInput): Promise<CreatedCheckout> {
    const { plan } = input;
    if (!plan.billing_interval) throw new HttpError(500, 'internal_error', `Plan "${plan.id}" has no billing interval.`);
    const metadata = checkoutMetadata(input);
    const lineItem = plan.provider_price_id ? { price: plan.provider_price_id, quantity: 1 } : {
      price_data: {
        currency: plan.currency,
        unit_amount: plan.price_cents,
        recurring: { interval: plan.billing_interval },
        product_data: { name: plan.name },
      },
      quantity: 1,
    };
    try {
      const session = await this.stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [lineItem],
        client_reference_id: input.userId,
        metadata,
        subscription_data: { metadata },
        ...(input.customerId ? { customer: input.customerId } : input.email ? { customer_email: input.email } : {}),
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      });
      if (!session.url) throw new Error('Stripe returned a session without a URL');
      return { provider: 'stripe', sessionId: session.id, url: session.url };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`stripe subscription checkout failed: ${reason}`);
      throw new HttpError(502, 'provider_error', `The payment provider refused the checkout: ${reason}`);
    }
  }

  /** Stripe's customer portal (its configuration, set in the dashboard, says what customers may change). */
  async createPortalSession(input: PortalInput): Promise<{ url: string }> {
    if (!input.customerId) {
      throw new HttpError(409, 'conflict', 'The subscription has no Stripe customer yet; try again in a minute.');
    }
    try {
      const session = await this.stripe.billingPortal.sessions.create({ customer: input.customerId, return_url: input.returnUrl });
      return { url: session.url };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`stripe portal session failed: ${reason}`);
      throw new HttpError(502, 'provider_error', `The payment provider refused to open the customer portal: ${reason}`);
    }
  }

  async verifyWebhook(rawBody: string, signatureHeader: string | null): Promise<PaymentEvent> {
    const event = await verifyStripeEvent(rawBody, signatureHeader, this.options.webhookSecret);
    if (event.kind !== 'invoice_paid' && event.kind !== 'invoice_failed') return event;
    return { ...event, invoice: await this.completeInvoice(event.invoice, event.kind === 'invoice_paid') };
  }

  /**
   * What Stripe's invoice deliveries leave out and the settlement needs: the lookup keys of the
   * lines' prices (they carry only price ids; the lookup key names our plan, and survives a plan
   * change in the portal, unlike the metadata) and the payment intent (refunds name it). A
   * failure here answers 5xx, so Stripe delivers the event again later.
   */
  private async completeInvoice(invoice: InvoiceSnapshot, paid: boolean): Promise<InvoiceSnapshot> {
    const lookupKey = async (priceId: string | null, known: string | null) =>
      known ?? (priceId ? (await this.stripe.prices.retrieve(priceId)).lookup_key : null);
    try {
      const [key, previousKey, payments] = await Promise.all([
        lookupKey(invoice.price_id, invoice.lookup_key),
        lookupKey(invoice.previous_price_id, invoice.previous_lookup_key),
        paid && invoice.payment_intent === null ? this.stripe.invoicePayments.list({ invoice: invoice.invoice_id, status: 'paid', limit: 1 }) : null,
      ]);
      const intent = payments?.data[0]?.payment.payment_intent ?? null;
      return {
        ...invoice,
        lookup_key: key,
        previous_lookup_key: previousKey,
        payment_intent: invoice.payment_intent ?? (typeof intent === 'string' ? intent : intent?.id ?? null),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`stripe invoice lookup failed: ${reason}`);
      throw new HttpError(503, 'provider_error', `Could not read invoice ${invoice.invoice_id}'s prices from Stripe; deliver again later: ${reason}`);
    }
  }
}
