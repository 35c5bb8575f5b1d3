// /functions/v1/<name>[/rest]: the edge-runtime front door. Enforces `verify_jwt` from
// supabase/config.toml (default true; any valid project JWT passes, the anon key included, but
// never a new-style `sb_…` key: those are not JWTs, as on hosted), then forwards method, headers
// and the raw body bytes unchanged to the Deno host. Like hosted, the `apikey` header of a
// function call is not checked here.
import http from 'node:http';
import path from 'node:path';
import { localEmailEnv, type StackEnv } from '../../../lib/stack-env.ts';
import type { LocalConfig } from '../config-toml.ts';
import { bearerToken, verifyJwt } from '../jwt.ts';
import { BodyTooLarge, readBody, sendJson, send } from '../http.ts';
import { DenoHost } from './deno-process.ts';
import { readEnvFile } from './env-file.ts';

export interface FunctionsOptions {
  functionsDir: string;
  config: LocalConfig;
  secret: Uint8Array;
  env: StackEnv;
  dbUrl: string;
  apiUrl: string;
  /** Restart the Deno host when function files change (development). */
  watch?: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'content-length']);

async function jwtProblem(req: http.IncomingMessage, secret: Uint8Array): Promise<string | undefined> {
  const authorization = req.headers.authorization;
  if (!authorization) return 'Missing authorization header';
  const token = bearerToken(authorization);
  if (!token) return "Auth header is not 'Bearer {token}'";
  try {
    await verifyJwt(token, secret);
    return undefined;
  } catch {
    return 'Invalid JWT';
  }
}

const RESTART_RETRIES = 30;

/** Forwards once; while the host restarts (--watch) the connection is refused, so it retries. */
async function forward(port: number, req: http.IncomingMessage, res: http.ServerResponse, targetPath: string, body: Buffer): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const refused = await forwardOnce(port, req, res, targetPath, body, attempt < RESTART_RETRIES);
    if (!refused) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function forwardOnce(port: number, req: http.IncomingMessage, res: http.ServerResponse, targetPath: string, body: Buffer, mayRetry: boolean): Promise<boolean> {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  headers['content-length'] = String(body.length);
  return new Promise((resolve) => {
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: targetPath, headers, timeout: 150_000 }, (response) => {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && name !== 'connection' && name !== 'keep-alive') out[name] = value;
      res.writeHead(response.statusCode ?? 502, out);
      response.pipe(res);
      response.on('end', () => resolve(false));
      response.on('error', () => resolve(false));
      response.on('close', () => resolve(false));
    });
    upstream.on('timeout', () => upstream.destroy(new Error('function timed out')));
    // A client that went away must not keep the function running: its request signal aborts.
    let clientGone = false;
    const abandon = (): void => {
      if (res.writableFinished) return;
      clientGone = true;
      upstream.destroy(new Error('client closed the connection'));
    };
    res.on('close', abandon);
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (clientGone) {
        resolve(false);
        return;
      }
      if (error.code === 'ECONNREFUSED' && mayRetry) {
        resolve(true);
        return;
      }
      sendJson(res, 502, { code: 'RELAY_ERROR', message: 'Could not reach the function' }, { 'x-relay-error': 'true' });
      resolve(false);
    });
    upstream.end(body);
  });
}

export async function createFunctionsGateway(options: FunctionsOptions) {
  // supabase/functions/.env may replace the local Stripe secrets (e.g. with `stripe listen`'s
  // whsec_… and a real sk_test_… key) and the e-mail API (a real provider's EMAIL_API_URL/KEY/FROM
  // instead of the local inbox), but, as with the Supabase CLI, never the SUPABASE_* values.
  const env: Record<string, string> = {
    STRIPE_WEBHOOK_SECRET: options.env.STRIPE_WEBHOOK_SECRET,
    SITE_URL: options.env.SITE_URL,
    ...localEmailEnv(options.apiUrl, options.env),
    ...readEnvFile(path.join(options.functionsDir, '.env')),
    SUPABASE_URL: options.apiUrl,
    SUPABASE_ANON_KEY: options.env.ANON_KEY,
    SUPABASE_SERVICE_ROLE_KEY: options.env.SERVICE_ROLE_KEY,
    // As hosted projects (and `supabase start`) hand them over: JSON objects of key name to key.
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: options.env.PUBLISHABLE_KEY }),
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: options.env.SECRET_KEY }),
    SUPABASE_DB_URL: options.dbUrl,
  };
  const host = new DenoHost(options.functionsDir, env, options.watch ?? false);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, subPath: string): Promise<void> {
    const name = subPath.split('/')[1] ?? '';
    if (!NAME.test(name)) {
      send(res, 404, 'Function not found', { 'Content-Type': 'text/plain' });
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'OPTIONS' && (options.config.verifyJwt.get(name) ?? true)) {
      const problem = await jwtProblem(req, options.secret);
      if (problem) {
        sendJson(res, 401, { code: 401, message: problem });
        return;
      }
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) { sendJson(res, 413, { code: 413, message: error.message }); return; }
      throw error;
    }
    let port: number;
    try {
      port = await host.port();
    } catch (error) {
      console.error('functions:', error);
      sendJson(res, 503, { code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' });
      return;
    }
    await forward(port, req, res, `${subPath}${url.search}`, body);
  }

  /**
   * Starts the Deno host (booting every function) and returns one message per function that
   * failed to boot; empty when all did. A missing dependency means the set-up did not run here.
   */
  async function bootFailures(): Promise<string[]> {
    const report = await host.boot();
    return Object.values(report).filter((why): why is string => why !== null).map((why) =>
      /cached-only|not found in cache|Failed caching|npm package/i.test(why)
        ? `${why}\n(the Edge Functions' dependencies are not in Deno's cache: run \`npx tsx scripts/fetch-function-deps.ts\`, which npm start and npm test run first, and read its error)`
        : why);
  }

  return { handle, bootFailures, close: () => host.stop() };
}
