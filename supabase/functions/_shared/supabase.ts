// Clients for the Supabase API: the service-role client (the only caller allowed to run the
// payment SQL functions) and the lookup of the signed-in user behind a request's JWT.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { HttpError } from './errors.ts';

const serverSide = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

/** The secret key (or legacy service_role JWT): supabase-js sends it as apikey and bearer alike. */
export function serviceClient(env: { SUPABASE_URL: string; SUPABASE_SECRET_KEY: string }): SupabaseClient {
  return createClient(env.SUPABASE_URL, env.SUPABASE_SECRET_KEY, serverSide);
}

export interface SignedInUser {
  id: string;
  email: string | null;
}

/**
 * The user is always taken from the verified JWT (asked of the Auth API), never from the body.
 * The anon key is a valid JWT too, but has no user, so it is refused here (and a publishable key
 * is no JWT at all: the Auth API refuses it as a bearer).
 */
export async function requireUser(
  req: Request,
  env: { SUPABASE_URL: string; SUPABASE_PUBLISHABLE_KEY: string },
): Promise<SignedInUser> {
  const header = req.headers.get('Authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new HttpError(401, 'unauthorized', 'Sign in first: the request has no bearer token.');
  const client = createClient(env.SUPABASE_URL, env.SUPABASE_PUBLISHABLE_KEY, serverSide);
  const { data, error } = await client.auth.getUser(match[1]);
  if (error && (error.status === undefined || error.status === 0 || error.status >= 500)) {
    // The Auth API is unreachable: that is our outage, not a bad token.
    console.error('auth lookup failed', error);
    throw new HttpError(503, 'internal_error', 'Could not check your session right now; please try again.');
  }
  if (error || !data.user) {
    throw new HttpError(401, 'unauthorized', 'Your session is invalid or has expired; sign in again.');
  }
  return { id: data.user.id, email: data.user.email ?? null };
}

/** Equal strings, compared in time that does not depend on where they differ. */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** The bearer is the project's secret key (or the legacy service_role JWT). */
function isServiceKey(req: Request, env: { SUPABASE_SECRET_KEY: string }): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get('Authorization') ?? '');
  const serviceKeys = [env.SUPABASE_SECRET_KEY, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')].filter((key): key is string => Boolean(key));
  return match !== null && serviceKeys.some((key) => sameSecret(match[1], key));
}

/** For functions only the server side calls (a cron job with the secret key): 401 for anyone else, signed in or not. */
export function requireServiceKey(req: Request, env: { SUPABASE_SECRET_KEY: string }): void {
  if (!isServiceKey(req, env)) {
    throw new HttpError(401, 'unauthorized', 'This function is called by the project\'s scheduled job with its secret key.');
  }
}

/**
 * For functions the server side (a cron job with the secret key) and signed-in users may both
 * call: the bearer is the project's secret key (or the legacy service_role JWT), else it must be
 * a signed-in user's JWT (requireUser; the anon key is refused there).
 */
export async function requireServiceOrUser(
  req: Request,
  env: { SUPABASE_URL: string; SUPABASE_PUBLISHABLE_KEY: string; SUPABASE_SECRET_KEY: string },
): Promise<'service' | SignedInUser> {
  if (isServiceKey(req, env)) return 'service';
  return await requireUser(req, env);
}
