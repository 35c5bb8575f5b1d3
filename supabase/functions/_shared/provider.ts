// Picks the payment provider: Stripe when STRIPE_SECRET_KEY is set; otherwise the local one, and
// only for a local SITE_URL and SUPABASE_URL (fail closed: a hosted project without the key gives
// nothing away).
import { localProviderRefusal, stripeApiBase, stripeSecretKey } from './env.ts';
import { HttpError } from './errors.ts';
import { LocalProvider } from './local-provider.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { StripeProvider } from './stripe-provider.ts';

export function paymentProvider(env: { STRIPE_WEBHOOK_SECRET: string; SITE_URL: string; SUPABASE_URL: string }): PaymentProvider {
  const secretKey = stripeSecretKey();
  if (secretKey) return new StripeProvider({ secretKey, webhookSecret: env.STRIPE_WEBHOOK_SECRET, apiBase: stripeApiBase() });
  const refusal = localProviderRefusal(env);
  if (refusal) {
    throw new HttpError(500, 'missing_env',
      `Missing environment variable: STRIPE_SECRET_KEY (the local payment provider runs only on the local stack: ${refusal}).`);
  }
  return new LocalProvider({ siteUrl: env.SITE_URL, webhookSecret: env.STRIPE_WEBHOOK_SECRET, supabaseUrl: env.SUPABASE_URL });
}
