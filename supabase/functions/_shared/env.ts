// Environment of the functions. Fail closed: a missing secret stops the request with
// `missing_env` naming every missing variable, never a silent default.
import { apiKey, apiKeyVariables } from './api-keys.ts';
import { HttpError } from './errors.ts';

/**
 * Plain variables, plus two resolved ones: SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY are
 * the `default` entries of SUPABASE_PUBLISHABLE_KEYS / SUPABASE_SECRET_KEYS, else the legacy
 * SUPABASE_ANON_KEY / SUPABASE_SERVICE_ROLE_KEY (see api-keys.ts). They are never read as such.
 */
export type EnvName =
  | 'SUPABASE_URL'
  | 'SUPABASE_PUBLISHABLE_KEY'
  | 'SUPABASE_SECRET_KEY'
  | 'STRIPE_WEBHOOK_SECRET'
  | 'SITE_URL'
  | 'EMAIL_API_URL'
  | 'EMAIL_API_KEY'
  | 'EMAIL_FROM';

function read(name: EnvName): { value: string | undefined; label: string } {
  if (name === 'SUPABASE_PUBLISHABLE_KEY') return { value: apiKey('publishable'), label: apiKeyVariables('publishable') };
  if (name === 'SUPABASE_SECRET_KEY') return { value: apiKey('secret'), label: apiKeyVariables('secret') };
  return { value: Deno.env.get(name), label: name };
}

/** Reads the named variables; throws one error listing all that are unset or empty. */
export function requireEnv<K extends EnvName>(names: readonly K[]): Record<K, string> {
  const values = {} as Record<K, string>;
  const missing: string[] = [];
  for (const name of names) {
    const { value, label } = read(name);
    if (value) values[name] = value;
    else missing.push(label);
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

/**
 * Optional base URL of Stripe's API (default: Stripe itself). Lets stripe-mock or a test's
 * imitation of Stripe's API stand in; never set it in production.
 */
export function stripeApiBase(): { host: string; port: number; protocol: 'http' | 'https' } | undefined {
  const value = Deno.env.get('STRIPE_API_BASE');
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError(500, 'missing_env', `STRIPE_API_BASE is not a URL: ${value}`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

/**
 * The local payment provider hands out credits without taking money, so it only runs for a site
 * served from the developer's own machine AND an API that is the local stack. A hosted project
 * (SUPABASE_URL https://<ref>.supabase.co) that forgot STRIPE_SECRET_KEY fails closed instead of
 * giving credits away, whatever SITE_URL says.
 */
export function isLocalSite(siteUrl: string): boolean {
  const host = hostOf(siteUrl);
  return host !== null && isLoopback(host);
}

/**
 * The local stack's API: a loopback address, or the names `supabase start` gives its gateway
 * inside Docker (Edge Functions there see SUPABASE_URL=http://kong:8000).
 */
export function isLocalSupabaseUrl(supabaseUrl: string): boolean {
  const host = hostOf(supabaseUrl);
  return host !== null && (isLoopback(host) || host === 'kong' || host === 'host.docker.internal');
}

/** Why the local provider may not run here, or null when both addresses are local. */
export function localProviderRefusal(env: { SITE_URL: string; SUPABASE_URL: string }): string | null {
  if (!isLocalSite(env.SITE_URL)) return `SITE_URL is not a local address (${env.SITE_URL})`;
  if (!isLocalSupabaseUrl(env.SUPABASE_URL)) return `SUPABASE_URL is not a local address (${env.SUPABASE_URL})`;
  return null;
}

/**
 * The environment of a function only the local provider may run (its Pay button, its portal):
 * 403 when Stripe is configured or the stack is not local, so real payments are never completed
 * by hand. `what` names it in the refusal ("Local checkout").
 */
export function requireLocalStack(what: string) {
  if (stripeSecretKey()) {
    throw new HttpError(403, 'forbidden', `${what} is disabled because Stripe is configured (STRIPE_SECRET_KEY is set).`);
  }
  const env = requireEnv(['SUPABASE_URL', 'SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SITE_URL']);
  const refusal = localProviderRefusal(env);
  if (refusal) throw new HttpError(403, 'forbidden', `${what} runs only on the local stack (development): ${refusal}.`);
  return env;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]';
}
