// A fresh key per user action: the server returns the first result for a repeated key, so a
// double click or a retry after a dropped connection can never charge twice.
import { randomId } from './randomId.ts';

export function newIdempotencyKey(scope: string): string {
  return `${scope}:${randomId()}`;
}
