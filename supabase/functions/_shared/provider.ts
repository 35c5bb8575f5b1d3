// Picks the payment provider: Stripe when STRIPE_SECRET_KEY is set, the local one otherwise.
import { stripeApiBase, stripeSecretKey } from './env.ts';
import { LocalProvider } from './local-provider.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { StripeProvider } from './stripe-provider.ts';

export function paymentProvider(env: { STRIPE_WEBHOOK_SECRET: string; SITE_URL: string }): PaymentProvider {
  const secretKey = stripeSecretKey();
  return secretKey
    ? new StripeProvider({ secretKey, webhookSecret: env.STRIPE_WEBHOOK_SECRET, apiBase: stripeApiBase() })
    : new LocalProvider({ siteUrl: env.SITE_URL, webhookSecret: env.STRIPE_WEBHOOK_SECRET });
}
