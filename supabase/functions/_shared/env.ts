// Environment of the functions. Fail closed: a missing secret stops the request with
// `missing_env` naming every missing variable, never a silent default.
import { HttpError } from './errors.ts';

export type EnvName =
  | 'SUPABASE_URL'
  | 'SUPABASE_ANON_KEY'
  | 'SUPABASE_SERVICE_ROLE_KEY'
  | 'STRIPE_WEBHOOK_SECRET'
  | 'SITE_URL';

/** Reads the named variables; throws one error listing all that are unset or empty. */
export function requireEnv<K extends EnvName>(names: readonly K[]): Record<K, string> {
  const values = {} as Record<K, string>;
  const missing: string[] = [];
  for (const name of names) {
    const value = Deno.env.get(name);
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw new HttpError(500, 'missing_env', `Missing environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
  }
  return values;
}

/** STRIPE_SECRET_KEY is optional: without it the local payment provider is used. */
export function stripeSecretKey(): string | undefined {
  return Deno.env.get('STRIPE_SECRET_KEY') || undefined;
}
