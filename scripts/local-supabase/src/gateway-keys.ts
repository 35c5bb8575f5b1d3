// The gateway's own refusal of new-style API keys, before any service sees the request: an
// `sb_publishable_…` / `sb_secret_…` key that is not one of the checkout's keys, or a secret key
// sent by a browser, is answered 401 in the gateway's shape (not PostgREST's or GoTrue's), on
// REST, Auth and Realtime alike. Edge Functions are exempt: the hosted gateway does not check
// their `apikey` header (their `verify_jwt` looks at Authorization only).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { sendJson } from './http.ts';
import { apiKeyOf, AuthFailure, isOpaqueKey, opaqueKeyIdentity, type ApiKeyRing } from './keys.ts';

export interface GatewayRefusal {
  status: 401;
  body: { message: string; hint: string };
}

// The message and hint of hosted's "Invalid API key" (the hint names the legacy keys there too).
const INVALID_HINT = 'Double check your Supabase `anon` or `service_role` API key.';
const BROWSER_HINT = 'Secret API keys can only be used from a server: use the publishable key in the browser.';

/** Why the gateway refuses this request's new-style API key, or undefined when it passes on. */
export function gatewayRefusal(req: IncomingMessage, url: URL, keys: ApiKeyRing): GatewayRefusal | undefined {
  const apiKey = (req.headers['x-api-key'] as string | undefined) ?? apiKeyOf(req.headers, url.searchParams);
  if (!apiKey || !isOpaqueKey(apiKey)) return undefined;
  try {
    opaqueKeyIdentity(apiKey, keys, req.headers['user-agent']);
    return undefined;
  } catch (error) {
    if (!(error instanceof AuthFailure)) throw error;
    const hint = error.code === 'SECRET_KEY_IN_BROWSER' ? BROWSER_HINT : INVALID_HINT;
    return { status: 401, body: { message: error.message, hint } };
  }
}

/** Answers an HTTP request the gateway refuses; true when it did. */
export function refuseBadKey(req: IncomingMessage, res: ServerResponse, url: URL, keys: ApiKeyRing): boolean {
  const refusal = gatewayRefusal(req, url, keys);
  if (!refusal) return false;
  sendJson(res, refusal.status, refusal.body);
  return true;
}

/** Answers a websocket upgrade the gateway refuses (plain HTTP 401, no upgrade); true when it did. */
export function refuseBadKeyUpgrade(req: IncomingMessage, socket: Duplex, url: URL, keys: ApiKeyRing): boolean {
  const refusal = gatewayRefusal(req, url, keys);
  if (!refusal) return false;
  const body = JSON.stringify(refusal.body);
  socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  return true;
}
