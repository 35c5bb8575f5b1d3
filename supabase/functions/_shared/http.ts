// Request helpers shared by every function: method guard and validated JSON bodies.
import type { z } from 'zod';
import { HttpError } from './errors.ts';

export function requireMethod(req: Request, method: 'POST'): void {
  if (req.method !== method) {
    throw new HttpError(405, 'method_not_allowed', `Use ${method} for this endpoint, not ${req.method}.`);
  }
}

/** Parses a JSON body against a schema; any problem is a 400 that says which field is wrong. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await req.text());
  } catch {
    throw new HttpError(400, 'invalid_request', 'The request body must be JSON.');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; ');
    throw new HttpError(400, 'invalid_request', `Invalid request body (${details}).`);
  }
  return parsed.data;
}
