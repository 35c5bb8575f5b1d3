// Realtime on /realtime/v1: the Phoenix websocket (vsn 1.0.0 / 2.0.0), postgres_changes from
// logical replication with per-subscriber RLS checks, broadcast and presence, and the REST
// broadcast endpoint.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { apiKeyIdentity, apiKeyOf, AuthFailure, type ApiKeyRing } from '../keys.ts';
import { ChangeFeed } from './change-feed.ts';
import { channelIdentity, TokenRejected } from './identity.ts';
import { PostgresChangesDispatcher } from './postgres-changes.ts';
import { PostgresSubscriptions } from './pg-subscriptions.ts';
import { RecordCaster } from './records.ts';
import { Rooms } from './rooms.ts';
import { SocketSession } from './socket-session.ts';
import { VisibilityChecker } from './visibility.ts';
import { createBroadcastApi } from './broadcast-api.ts';
import { ChannelAuthorizer } from './authorization.ts';
import { deliverDatabaseBroadcasts, isMessagesTable } from './database-broadcasts.ts';
import { ensureMessagePartitions, keepMessagePartitions } from './partitions.ts';
import type { Vsn } from './protocol.ts';

export interface RealtimeOptions {
  /** Superuser URL: owns the replication slot and casts records. */
  dbUrl: string;
  /** `authenticator` URL: RLS checks run as the subscriber's role through SET ROLE. */
  rlsDbUrl: string;
  secret: Uint8Array;
  keys: ApiKeyRing;
  /** Close sockets silent for this long (default 60 s, as Phoenix). */
  idleTimeoutMs?: number;
  /** Extra wait between the join reply and 'Subscribed to PostgreSQL' (tests widen that window). */
  subscribeDelayMs?: number;
}

const MAX_FRAME_BYTES = 5_000_000;

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  const reason = status === 401 ? 'Unauthorized' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export async function createRealtime(options: RealtimeOptions) {
  const adminPool = new pg.Pool({ connectionString: options.dbUrl, max: 4 });
  const rlsPool = new pg.Pool({ connectionString: options.rlsDbUrl, max: 10 });
  adminPool.on('error', () => {});
  rlsPool.on('error', () => {});
  const rooms = new Rooms();
  const subscriptions = new PostgresSubscriptions({ publishedTables, feedConnected: () => feed.connected, delayMs: options.subscribeDelayMs });
  const dispatcher = new PostgresChangesDispatcher(rooms, new RecordCaster(adminPool), new VisibilityChecker(rlsPool), {
    expire: (channel, secondsAgo) => channel.sink.expire(channel, secondsAgo),
    missed: (channels, reason) => subscriptions.interrupt(channels, reason),
  });
  const feed = new ChangeFeed(options.dbUrl, {
    onChanges: (changes) => {
      const messages = changes.filter(isMessagesTable);
      if (messages.length > 0) deliverDatabaseBroadcasts(rooms, messages);
      const rows = messages.length > 0 ? changes.filter((change) => !isMessagesTable(change)) : changes;
      if (rows.length > 0) dispatcher.dispatch(rows);
    },
    onGap: (reason) => subscriptions.interrupt(rooms.all(), reason),
  });
  const authorizer = new ChannelAuthorizer(adminPool);
  await ensureMessagePartitions(adminPool);
  const partitionTimer = keepMessagePartitions(adminPool);
  await feed.start();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  async function publishedTables(): Promise<Set<string>> {
    const { rows } = await adminPool.query<{ name: string }>(
      `select schemaname || '.' || tablename as name from pg_publication_tables where pubname = 'supabase_realtime'`);
    return new Set(rows.map((r) => r.name));
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    // Node drops its own 'error' listener on upgrade: a reset while we refuse would be uncaught.
    socket.on('error', () => socket.destroy());
    const vsnParam = url.searchParams.get('vsn') ?? '1.0.0';
    if (vsnParam !== '1.0.0' && vsnParam !== '2.0.0') {
      refuse(socket, 400, `Unsupported vsn ${vsnParam}`);
      return;
    }
    const token = (req.headers['x-api-key'] as string | undefined) ?? apiKeyOf(req.headers, url.searchParams);
    if (!token) {
      refuse(socket, 401, 'API key is missing');
      return;
    }
    // The gateway's key check first (a user's access token is not an API key), then Realtime's own.
    apiKeyIdentity(token, options.secret, options.keys, req.headers['user-agent']).then(() => channelIdentity(token, options.secret, options.keys)).then((identity) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        new SocketSession(ws, vsnParam as Vsn, identity, { rooms, secret: options.secret, keys: options.keys, subscriptions, authorizer, idleTimeoutMs: options.idleTimeoutMs });
      });
    }, (error: unknown) => {
      const message = error instanceof AuthFailure ? 'Invalid API key' : error instanceof TokenRejected ? error.message : 'Error connecting to Realtime';
      refuse(socket, 401, message);
    });
  }

  return {
    handleUpgrade,
    handleHttp: createBroadcastApi(rooms, options.secret, options.keys, authorizer),
    async close(): Promise<void> {
      clearInterval(partitionTimer);
      for (const client of wss.clients) client.terminate();
      wss.close();
      await feed.stop();
      await Promise.all([adminPool.end(), rlsPool.end()]);
    },
  };
}
