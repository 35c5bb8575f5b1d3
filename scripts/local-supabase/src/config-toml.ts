// Reads the few settings of supabase/config.toml the local API honours (auth and per-function
// verify_jwt). A deliberately small TOML subset: [tables], key = string | number | bool | array.
import fs from 'node:fs';

export type TomlValue = string | number | boolean | TomlValue[];
export type TomlTables = Map<string, Map<string, TomlValue>>;

function parseValue(raw: string): TomlValue {
  const text = raw.trim();
  if (text.startsWith('"') || text.startsWith("'")) return text.slice(1, text.lastIndexOf(text[0]));
  if (text === 'true' || text === 'false') return text === 'true';
  if (text.startsWith('[')) {
    const inner = text.slice(1, text.lastIndexOf(']')).trim();
    if (inner === '') return [];
    return inner.split(',').map((item) => item.trim()).filter((item) => item !== '').map(parseValue);
  }
  const number = Number(text.replaceAll('_', ''));
  return Number.isFinite(number) ? number : text;
}

function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quote) { if (ch === quote) quote = ''; } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return line.slice(0, i);
  }
  return line;
}

export function parseToml(text: string): TomlTables {
  const tables: TomlTables = new Map([['', new Map()]]);
  let current = tables.get('')!;
  for (const rawLine of text.split('\n')) {
    const line = stripComment(rawLine).trim();
    if (line === '') continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      const name = section[1].trim().replaceAll('"', '');
      current = tables.get(name) ?? new Map();
      tables.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq).trim().replaceAll('"', ''), parseValue(line.slice(eq + 1)));
  }
  return tables;
}

export interface LocalConfig {
  jwtExpirySeconds: number;
  refreshTokenReuseIntervalSeconds: number;
  enableSignup: boolean;
  enableAnonymousSignIns: boolean;
  minimumPasswordLength: number;
  /** Where e-mail links land by default, and the host every redirect_to may point at. */
  siteUrl: string;
  /** `[auth.rate_limit] token_verifications`: link checks per IP per 5 minutes (failed ones, here). */
  tokenVerificationsPer5Min: number;
  /** Other allowed redirect_to URLs (GoTrue globs: `*` within a path segment or host label, `**` anything). */
  additionalRedirectUrls: string[];
  /** [auth.email] enable_confirmations: sign-up sends a link and gives no session until it is followed. */
  enableConfirmations: boolean;
  /** [auth.email] max_frequency: the least time between two e-mails to one address. */
  emailMaxFrequencySeconds: number;
  /** [auth.email] otp_expiry: how long an e-mail link stays valid. */
  emailOtpExpirySeconds: number;
  maxRows: number;
  /** [api] schemas: what `supabase start`'s PostgREST exposes (only `public` is served here). */
  apiSchemas: string[];
  /** verify_jwt per function name; functions not listed default to true. */
  verifyJwt: Map<string, boolean>;
}

function num(value: TomlValue | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
/** Go durations as the CLI writes them: "1s", "1m0s", "1h30m", "500ms". */
export function durationSeconds(value: TomlValue | undefined, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return fallback;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return fallback;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  return parts.reduce((total, [, amount, u]) => total + Number(amount) * unit[u], 0);
}
function strings(value: TomlValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
function bool(value: TomlValue | undefined, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

export function loadLocalConfig(file: string): LocalConfig {
  const tables = fs.existsSync(file) ? parseToml(fs.readFileSync(file, 'utf8')) : new Map();
  const auth = tables.get('auth') ?? new Map<string, TomlValue>();
  const authEmail = tables.get('auth.email') ?? new Map<string, TomlValue>();
  const api = tables.get('api') ?? new Map<string, TomlValue>();
  const verifyJwt = new Map<string, boolean>();
  for (const [name, table] of tables) {
    if (name.startsWith('functions.')) verifyJwt.set(name.slice('functions.'.length), bool(table.get('verify_jwt'), true));
  }
  return {
    jwtExpirySeconds: num(auth.get('jwt_expiry'), 3600),
    refreshTokenReuseIntervalSeconds: num(auth.get('refresh_token_reuse_interval'), 10),
    enableSignup: bool(auth.get('enable_signup'), true),
    enableAnonymousSignIns: bool(auth.get('enable_anonymous_sign_ins'), false),
    minimumPasswordLength: num(auth.get('minimum_password_length'), 6),
    // Defaults are the CLI's (`supabase init`), so a config.toml without these keys means what it means to the CLI.
    siteUrl: typeof auth.get('site_url') === 'string' ? (auth.get('site_url') as string) : 'http://127.0.0.1:3000',
    additionalRedirectUrls: strings(auth.get('additional_redirect_urls')),
    tokenVerificationsPer5Min: num((tables.get('auth.rate_limit') ?? new Map<string, TomlValue>()).get('token_verifications'), 30),
    enableConfirmations: bool(authEmail.get('enable_confirmations'), false),
    emailMaxFrequencySeconds: durationSeconds(authEmail.get('max_frequency'), 1),
    emailOtpExpirySeconds: num(authEmail.get('otp_expiry'), 3600),
    maxRows: num(api.get('max_rows'), 1000),
    apiSchemas: api.has('schemas') ? strings(api.get('schemas')) : ['public', 'graphql_public'],
    verifyJwt,
  };
}
