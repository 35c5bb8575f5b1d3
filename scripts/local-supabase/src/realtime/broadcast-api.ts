// POST /realtime/v1/api/broadcast (realtime-js falls back to it when a channel is not joined)
// and POST /realtime/v1/api/broadcast/<topic>/events/<event> (httpSend): fan out, answer 202.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, ClientGone, readBody, send, sendJson } from '../http.ts';
import { JsonTooDeep, parseJsonBounded } from '../json-depth.ts';
import { decodePathSegment } from '../percent-decode.ts';
import { AuthFailure, identityOfRequest, type ApiKeyRing } from '../keys.ts';
import type { Rooms } from './rooms.ts';
import type { ChannelAuthorizer } from './authorization.ts';

type Json = Record<string, unknown>;

export function createBroadcastApi(rooms: Rooms, secret: Uint8Array, keys: ApiKeyRing, authorizer: ChannelAuthorizer) {
  return async function handleHttp(req: IncomingMessage, res: ServerResponse, url: URL, subPath: string): Promise<void> {
    if ((req.method ?? 'GET').toUpperCase() !== 'POST') {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    let identity: { role: string; claims: Record<string, unknown> };
    let raw: Buffer;
    try {
      identity = await identityOfRequest(req.headers, secret, keys, url.searchParams);
      raw = await readBody(req);
    } catch (error) {
      if (error instanceof AuthFailure) { sendJson(res, 401, { error: error.message }); return; }
      if (error instanceof BodyTooLarge) { sendJson(res, 413, { error: error.message }); return; }
      if (error instanceof ClientGone) return;
      throw error;
    }
    let body: unknown;
    try {
      body = raw.length === 0 ? {} : parseJsonBounded(raw.toString('utf8'));
    } catch (error) {
      sendJson(res, 400, { error: error instanceof JsonTooDeep ? `body is not JSON: ${error.message}` : 'body is not JSON' });
      return;
    }
    const single = /^\/broadcast\/([^/]+)\/events\/([^/]+)$/.exec(subPath);
    const messages: Json[] = single
      ? [{ topic: decodePathSegment(single[1]), event: decodePathSegment(single[2]), payload: body, private: url.searchParams.get('private') === 'true' }]
      : subPath === '/broadcast' && Array.isArray((body as Json).messages) ? ((body as Json).messages as Json[]) : [];
    if (!single && subPath !== '/broadcast') {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    for (const message of messages) {
      if (typeof message.topic !== 'string' || typeof message.event !== 'string') continue;
      const isPrivate = message.private === true;
      // Private rooms need the realtime.messages write policies to let the sender in (Realtime
      // answers 202 either way and drops what is refused).
      if (isPrivate && !(await authorizer.write(message.topic, { ...identity, token: '' }).catch(() => false))) continue;
      rooms.broadcast(`${isPrivate ? 'private' : 'public'}:realtime:${message.topic}`, undefined,
        { type: 'broadcast', event: message.event, payload: message.payload ?? {} });
    }
    send(res, 202, undefined);
  };
}
