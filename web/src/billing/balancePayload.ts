// Reads the Realtime message on `balance:<user id>`: `{user_id, credits, reserved}`. A message
// without `reserved` (sent by a database older than holds) still moves the available part.
export interface BalanceUpdate {
  credits: number;
  reserved: number | null;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

export function balanceFromPayload(payload: unknown): BalanceUpdate | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { credits, reserved } = payload as { credits?: unknown; reserved?: unknown };
  if (!isCount(credits)) return null;
  return { credits, reserved: isCount(reserved) ? reserved : null };
}

/** Reads the `limits` message (a monthly limit changed): the team it names, else null. */
export function limitsChangedFromPayload(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { team_id: teamId } = payload as { team_id?: unknown };
  return typeof teamId === 'string' ? teamId : null;
}

/** Reads the `membership` message on the user's own topic: the team they are no longer in, else null. */
export function membershipEndedFromPayload(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { team_id: teamId, removed } = payload as { team_id?: unknown; removed?: unknown };
  return removed === true && typeof teamId === 'string' ? teamId : null;
}

/**
 * Reads the wallet's `low_balance` message (the balance crossed the alert) and its
 * `low_balance_threshold` message (an owner or admin changed the alert): the threshold they carry
 * (null: the alert was turned off), or undefined when the message is not one of these.
 */
export function thresholdFromPayload(payload: unknown): number | null | undefined {
  if (typeof payload !== 'object' || payload === null || !('threshold' in payload)) return undefined;
  const { threshold } = payload as { threshold?: unknown };
  if (threshold === null) return null;
  return isCount(threshold) && threshold > 0 ? threshold : undefined;
}
