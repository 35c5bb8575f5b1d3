// The production provider: Stripe Checkout (mode `payment`, one line item for the plan).
import Stripe from 'stripe';
import { HttpError } from './errors.ts';
import { type ChargeResult, chargeResultOf, StripePaymentIntent } from './payment-intent.ts';
import {
  checkoutMetadata,
  type CheckoutInput,
  type CreatedCheckout,
  type OffSessionCharge,
  type PaymentEvent,
  type PaymentProvider,
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
        // The card is saved on the wallet's customer for auto top-up's off-session charges; the
        // webhook's payment_intent.succeeded records it (billing_customers).
        payment_intent_data: { metadata, setup_future_usage: 'off_session' },
        ...(input.customerId
          ? { customer: input.customerId }
          : { customer_creation: 'always' as const, ...(input.email ? { customer_email: input.email } : {}) }),
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

  async chargeOffSession(charge: OffSessionCharge): Promise<ChargeResult> {
    try {
      const intent = await this.stripe.paymentIntents.create({
        customer: charge.customerId,
        payment_method: charge.paymentMethod,
        amount: charge.amountCents,
        currency: charge.currency,
        off_session: true,
        confirm: true,
        metadata: charge.metadata,
      }, { idempotencyKey: charge.idempotencyKey });
      return chargeResultOf(StripePaymentIntent.parse(intent));
    } catch (error) {
      // A decline or a required authentication is a StripeCardError carrying the intent.
      const raw = (error as { type?: string; code?: string; raw?: { payment_intent?: unknown } }) ?? {};
      const intent = StripePaymentIntent.safeParse(raw.raw?.payment_intent);
      if (raw.type === 'StripeCardError' && intent.success) return chargeResultOf(intent.data, raw.code ?? null);
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`stripe off-session charge failed: ${reason}`);
      throw new HttpError(502, 'provider_error', `The payment provider could not be asked to charge: ${reason}`);
    }
  }

  verifyWebhook(rawBody: string, signatureHeader: string | null): Promise<PaymentEvent> {
    return verifyStripeEvent(rawBody, signatureHeader, this.options.webhookSecret);
  }
}
