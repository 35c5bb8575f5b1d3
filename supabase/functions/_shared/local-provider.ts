// Local development without a Stripe account: the "checkout page" is a route of the SPA, which
// completes the session through `local-checkout-complete`; that function sends a Stripe-signed
// event to the same webhook, so the settlement code that runs is the production one.
import { LOCAL_SESSION_PREFIX } from './schemas.ts';
import type { CheckoutInput, CreatedCheckout, PaymentEvent, PaymentProvider, PortalInput } from './payment-provider.ts';
import { verifyStripeEvent } from './stripe-events.ts';

export class LocalProvider implements PaymentProvider {
  readonly name = 'local' as const;

  constructor(private readonly options: { siteUrl: string; webhookSecret: string }) {}

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
