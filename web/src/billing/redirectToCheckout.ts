// Leaves the SPA for the payment page (Stripe Checkout, or the local provider's /checkout/local).
// A module of its own so tests can observe the navigation through `window.location.assign`.
export function redirectToCheckout(url: string): void {
  window.location.assign(url);
}
