// A fresh key per user action: the server returns the first result for a repeated key, so a
// double click or a retry after a dropped connection can never charge twice.
export function newIdempotencyKey(scope: string): string {
  return `${scope}:${crypto.randomUUID()}`;
}
