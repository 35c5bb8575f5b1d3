// Values our checkout writes into Stripe objects (metadata user_id, team_id, plan_id), read back
// from events. Objects created outside our checkout (a Payment Link on the same Stripe account)
// may carry anything there; only well-formed values are passed on, so such an object is recorded
// as unknown instead of failing the delivery over and over.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLAN_ID = /^[a-z0-9_]{1,50}$/;

export function ourUserId(value: string | null | undefined): string | null {
  return value && UUID.test(value) ? value : null;
}

export function ourPlanId(value: string | null | undefined): string | null {
  return value && PLAN_ID.test(value) ? value : null;
}

/** A signed event whose object is not what its type promises: recorded as rejected, never retried. */
export class MalformedEvent extends Error {}
