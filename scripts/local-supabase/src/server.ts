// The local Supabase-compatible API on one port, standing in for Kong + PostgREST + GoTrue +
// Realtime + the edge runtime, so the unmodified supabase-js client works without Docker.
// Run: npx tsx scripts/local-supabase/src/server.ts [--port 54321] [--db postgres] [--functions dir] [--no-watch] [--boot-functions]
//      [--outbox-cron-ms 2000] (with --boot-functions: calls send-email that often, as the hosted cron job does; 0 = off)
//      [--topup-cron-ms 2000] (with --boot-functions: calls auto-topup that often, as its hosted cron job does; 0 = off)
//      [--realtime-subscribe-delay-ms n] (widens the join reply → 'Subscribed to PostgreSQL' window, for tests)
// This file only wires the protocol modules (rest/, auth/, realtime/, functions/) together.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ROOT, API_PORT, SITE_URL_OVERRIDE, dbUrl as localDbUrl } from '../../lib/config.ts';
import { loadStackEnv, type StackEnv } from '../../lib/stack-env.ts';
import { answerRaw, CORS_HEADERS, requestUrl, send, sendJson } from './http.ts';
import { secretKey } from './jwt.ts';
import { loadLocalConfig } from './config-toml.ts';
import { urlAs } from './db-urls.ts';
import { SchemaCache } from './rest/schema-cache.ts';
import { createRestHandler } from './rest/router.ts';
import { createAuthHandler } from './auth/router.ts';
import { createFunctionsGateway } from './functions/gateway.ts';
import { functionEntryPoints } from './functions/function-deps.ts';
import { startOutboxCron, type OutboxCron } from './functions/outbox-cron.ts';
import { createRealtime } from './realtime/server.ts';
import { refuseBadKey, refuseBadKeyUpgrade } from './gateway-keys.ts';
import type { ApiKeyRing } from './keys.ts';
import { Mailbox } from './inbox/mailbox.ts';
import { createInboxHandler } from './inbox/router.ts';

export interface ApiServerOptions {
  port: number;
  dbUrl: string;
  env: StackEnv;
  functionsDir?: string;
  configToml?: string;
  /** Restart the functions runtime when files under functionsDir change (on for `npm start`). */
  watchFunctions?: boolean;
  /** Realtime closes sockets silent for this long (default 60 s); tests shorten it. */
  realtimeIdleTimeoutMs?: number;
  /** Extra wait between a realtime join reply and 'Subscribed to PostgreSQL' (tests widen that window). */
  realtimeSubscribeDelayMs?: number;
  /** Replaces config.toml's `[auth] site_url` (the SPA moved to another port: STACK_WEB_PORT). */
  siteUrl?: string;
  /**
   * Boot every function before listening and refuse to start (throwing their boot errors) if
   * one fails: `npm start` says ready only when a purchase can work (--boot-functions).
   */
  bootFunctions?: boolean;
  /**
   * Plays the hosted cron job of the e-mail outbox: calls send-email with the secret key every
   * this many ms (functions/outbox-cron.ts). Only with bootFunctions and a send-email function
   * that booted; unset or 0: off (tests drive send-email by hand).
   */
  outboxCronMs?: number;
  /** The same for auto top-up's worker (auto-topup); unset or 0: off (tests drive it by hand). */
  topupCronMs?: number;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, subPath: string) => Promise<void>;

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const fromToml = loadLocalConfig(options.configToml ?? path.join(ROOT, 'supabase/config.toml'));
  const config = options.siteUrl ? { ...fromToml, siteUrl: options.siteUrl } : fromToml;
  const secret = secretKey(options.env.JWT_SECRET);
  const keys: ApiKeyRing = { publishable: [options.env.PUBLISHABLE_KEY], secret: [options.env.SECRET_KEY] };
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const functionsDir = options.functionsDir ?? path.join(ROOT, 'supabase/functions');
  const functions = await createFunctionsGateway({
    functionsDir,
    config,
    secret,
    env: options.env,
    dbUrl: options.dbUrl,
    apiUrl: baseUrl,
    watch: options.watchFunctions,
  });
  if (options.bootFunctions) {
    const failures = await functions.bootFailures().catch(async (error: unknown) => {
      await functions.close();
      throw error;
    });
    if (failures.length > 0) {
      await functions.close();
      throw new Error(`${failures.length} Edge Function(s) failed to boot:\n${failures.join('\n')}`);
    }
  }
  const restPool = new pg.Pool({ connectionString: urlAs(options.dbUrl, 'authenticator'), max: 20 });
  const authPool = new pg.Pool({ connectionString: urlAs(options.dbUrl, 'supabase_auth_admin'), max: 8 });
  restPool.on('error', () => {});
  authPool.on('error', () => {});
  const cache = new SchemaCache(restPool);
  await cache.load();
  const stopWatching = await cache.watch(options.dbUrl);

  const realtime = await createRealtime({ dbUrl: options.dbUrl, rlsDbUrl: urlAs(options.dbUrl, 'authenticator'), secret, keys, idleTimeoutMs: options.realtimeIdleTimeoutMs,
    subscribeDelayMs: options.realtimeSubscribeDelayMs,
  });

  const mailbox = new Mailbox();
  const routes: [string, Handler][] = [
    ['/rest/v1', createRestHandler({ pool: restPool, cache, secret, keys, maxRows: config.maxRows, apiSchemas: config.apiSchemas })],
    ['/auth/v1', createAuthHandler({ pool: authPool, secret, keys, config, issuer: `${baseUrl}/auth/v1`, mailbox })],
    ['/inbox', createInboxHandler(mailbox, options.env.EMAIL_API_KEY)],
    ['/functions/v1', functions.handle],
    ['/realtime/v1/api', realtime.handleHttp],
  ];

  const server = http.createServer((req, res) => {
    // A response written after its client reset must not become an uncaught 'error'.
    res.on('error', () => {});
    const url = requestUrl(req, baseUrl);
    if (!url) {
      sendJson(res, 400, { message: 'Bad Request: the request target is not a valid URL' }, { Connection: 'close' });
      return;
    }
    // Functions answer their own preflight (the edge runtime does not); the inbox allows no other
    // origin (inbox/router.ts); every other route is ours.
    if (req.method === 'OPTIONS' && !url.pathname.startsWith('/functions/v1/') && !/^\/inbox(\/|$)/.test(url.pathname)) {
      const requested = req.headers['access-control-request-headers'];
      const allow = requested ? `${CORS_HEADERS['Access-Control-Allow-Headers']}, ${requested}` : CORS_HEADERS['Access-Control-Allow-Headers'];
      send(res, 204, undefined, { 'Access-Control-Allow-Headers': allow });
      return;
    }
    if (!url.pathname.startsWith('/functions/v1/') && refuseBadKey(req, res, url, keys)) return;
    for (const [prefix, handler] of routes) {
      if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) {
        handler(req, res, url, url.pathname.slice(prefix.length) || '/').catch((error: unknown) => {
          console.error(`api: ${prefix} crashed`, error);
          sendJson(res, 500, { message: 'Internal server error' });
        });
        return;
      }
    }
    sendJson(res, 404, { message: 'no Route matched with those values' });
  });
  server.on('upgrade', (req, socket, head) => {
    // Node drops its own 'error' listener on upgrade: without ours a reset would end the process.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req, baseUrl);
    if (!url) answerRaw(socket, 400, { message: 'Bad Request: the request target is not a valid URL' });
    else if (refuseBadKeyUpgrade(req, socket, url, keys)) return;
    else if (url.pathname === '/realtime/v1/websocket') realtime.handleUpgrade(req, socket, head, url);
    else answerRaw(socket, 404, { message: 'no Route matched with those values' });
  });
  // Requests Node cannot parse (bad request line, oversized or malformed headers, bad chunking):
  // answered like Node's default, with a JSON body, unless the socket is gone or mid-response.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    answerRaw(socket, status, { message: status === 431 ? 'Request header fields too large' : `Bad Request: ${error.code ?? 'malformed request'}` });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });

  // Every function booted (bootFunctions refused to start otherwise), so send-email answers.
  let outboxCron: OutboxCron | undefined;
  const sendEmail = path.join(functionsDir, 'send-email', 'index.ts');
  if (options.bootFunctions && options.outboxCronMs && functionEntryPoints(functionsDir).includes(sendEmail)) {
    outboxCron = startOutboxCron({ url: `${baseUrl}/functions/v1/send-email`, key: options.env.SECRET_KEY, intervalMs: options.outboxCronMs });
  }

  let topupCron: OutboxCron | undefined;
  const autoTopup = path.join(functionsDir, 'auto-topup', 'index.ts');
  if (options.bootFunctions && options.topupCronMs && functionEntryPoints(functionsDir).includes(autoTopup)) {
    topupCron = startOutboxCron({ url: `${baseUrl}/functions/v1/auto-topup`, key: options.env.SECRET_KEY, intervalMs: options.topupCronMs,
      label: { job: 'auto-topup', fn: 'auto-topup', stays: 'the top-ups stay queued' } });
  }

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    close() {
      closing ??= (async () => {
        await outboxCron?.stop();
        await topupCron?.stop();
        await realtime.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await functions.close();
        await stopWatching();
        await Promise.all([restPool.end(), authPool.end()]);
      })();
      return closing;
    },
  };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(argument('port') ?? API_PORT);
  const database = argument('db') ?? 'postgres';
  const env = await loadStackEnv();
  const server = await startApiServer({
    port, dbUrl: localDbUrl(database), env, functionsDir: argument('functions'), watchFunctions: !process.argv.includes('--no-watch'),
    bootFunctions: process.argv.includes('--boot-functions'),
    outboxCronMs: Number(argument('outbox-cron-ms') ?? 2000),
    topupCronMs: Number(argument('topup-cron-ms') ?? 2000),
    realtimeSubscribeDelayMs: Number(argument('realtime-subscribe-delay-ms') ?? 0),
    // A second stack's SPA runs on STACK_WEB_PORT: e-mailed links must lead there, not to config.toml's port.
    siteUrl: SITE_URL_OVERRIDE,
  });
  console.log(`api ready on ${server.url} (database ${database}): /rest/v1 /auth/v1 /realtime/v1 /functions/v1 /inbox`);
  if (process.argv.includes('--boot-functions') && Number(argument('outbox-cron-ms') ?? 2000) > 0) {
    console.log(`api: calling send-email every ${Number(argument('outbox-cron-ms') ?? 2000)} ms (the outbox's cron job; --outbox-cron-ms 0 turns it off)`);
  }
  if (process.argv.includes('--boot-functions') && Number(argument('topup-cron-ms') ?? 2000) > 0) {
    console.log(`api: calling auto-topup every ${Number(argument('topup-cron-ms') ?? 2000)} ms (auto top-up's cron job; --topup-cron-ms 0 turns it off)`);
  }
  const stop = (): void => {
    server.close().then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1); });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error('api: failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
