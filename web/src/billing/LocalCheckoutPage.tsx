// The LOCAL payment provider's checkout page (/checkout/local?session_id=…, used when no Stripe key
// is configured): a subscription plan's session (`mode=subscription`, the checkout function adds
// it) is a subscription to start, any other a one-time payment.
import { useSearchParams } from 'react-router-dom';
import { LocalPackCheckout } from './LocalPackCheckout.tsx';
import { LocalSubscriptionCheckout } from './LocalSubscriptionCheckout.tsx';
import './billing.css';
import { usePageTitle } from '../ui/usePageTitle.ts';

export function LocalCheckoutPage() {
  usePageTitle('Checkout');
  const [params] = useSearchParams();
  return params.get('mode') === 'subscription' ? <LocalSubscriptionCheckout /> : <LocalPackCheckout />;
}
