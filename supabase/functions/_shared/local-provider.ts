// Local development without a Stripe account: the "checkout page" is a route of the SPA, which
// completes the session through `local-checkout-complete`; that function sends a Stripe-signed
// event to the same webhook, so the settlement code that runs is the production one.
import { LOCAL_SESSION_PREFIX } from './schemas.ts';
import type { CheckoutInput, CreatedCheckout, OffSessionCharge, PaymentEvent, PaymentProvider, PortalInput } from './payment-provider.ts';
import { type ChargeResult, chargeResultOf } from './payment-intent.ts';
import { localOffSessionIntent, localPaymentIntentEvent, signStripePayload } from './local-events.ts';
import { verifyStripeEvent } from './stripe-events.ts';
import { postToWebhook } from './webhook-client.ts';

export class LocalProvider implements PaymentProvider {
  readonly name = 'local' as const;

  constructor(private readonly options: { siteUrl: string; webhookSecret: string; supabaseUrl?: string }) {}

  createCheckout(_input: CheckoutInput): Promise<CreatedCheckout> {
    const sessionId = `${LOCAL_SESSION_PREFIX}${randomToken(24)}`;
    const url = new URL('/checkout/local', this.options.siteUrl);
    url.searchParams.set('session_id', sessionId);
    return Promise.resolve({ provider: 'local', sessionId, url: url.toString() });
  }

  /** The same local checkout page; `mode=subscription` tells it to read the subscriptions row. */
  async createSubscriptionCheckout(input: CheckoutInput): Promise<CreatedCheckout> {
    const session = await this.createCheckout(input);
    const url = new URL(session.url);
    url.searchParams.set('mode', 'subscription');
    return { ...session, url: url.toString() };
  }

  /** The SPA's local portal page, which plays Stripe's through `local-subscription`. */
  createPortalSession(input: PortalInput): Promise<{ url: string }> {
    const url = new URL('/portal/local', this.options.siteUrl);
    url.searchParams.set('subscription', input.subscriptionId);
    return Promise.resolve({ url: url.toString() });
  }

  /**
   * Plays Stripe's off-session charge by the saved local test card (pm_card_visa succeeds,
   * pm_card_chargeCustomerFail is declined, pm_card_authenticationRequired needs the cardholder),
   * then sends the signed payment_intent.* event Stripe would send to the webhook, so both
   * reports reach the settlement as they do with Stripe. The same idempotency key gives the same
   * intent id.
   */
  async chargeOffSession(charge: OffSessionCharge): Promise<ChargeResult> {
    const intent = await localOffSessionIntent(charge);
    const result = chargeResultOf(intent);
    if (this.options.supabaseUrl) {
      const payload = JSON.stringify(localPaymentIntentEvent(intent));
      const signature = await signStripePayload(payload, this.options.webhookSecret);
      // The function records the result itself: a webhook that is down only loses the echo.
      await postToWebhook(this.options.supabaseUrl, payload, signature)
        .catch((error: unknown) => console.error(`local payment_intent event not delivered: ${error instanceof Error ? error.message : error}`));
    }
    return result;
  }

  verifyWebhook(rawBody: string, signatureHeader: string | null): Promise<PaymentEvent> {
    return verifyStripeEvent(rawBody, signatureHeader, this.options.webhookSecret);
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Unguessable ids in Stripe's style (letters and digits). */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}
