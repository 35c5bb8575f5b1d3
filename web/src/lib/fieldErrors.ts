// A form shows one message per field: the first one zod gives for it. Issues about anything but
// the form's own fields (a refinement on the whole object) are left to the caller.
import type { z } from 'zod';

export function firstIssuePerField<F extends string>(error: z.ZodError, fields: readonly F[]): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (typeof field !== 'string' || !(fields as readonly string[]).includes(field)) continue;
    errors[field as F] ??= issue.message;
  }
  return errors;
}
