// Dead realtime sockets are reaped: a socket that sends no frame for the idle timeout (60 s by
// default, as Phoenix; 800 ms on this test's own server on a free port) is closed, one that keeps
// sending heartbeats stays open.
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApiServer, type ApiServer } from '../src/server.ts';
import { closeDb, freePort, stackEnv, TEST_DB_URL } from '../../../test-support/stack.ts';

const PORT = await freePort();
const IDLE_MS = 800;
let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({ port: PORT, dbUrl: TEST_DB_URL, env: stackEnv(), realtimeIdleTimeoutMs: IDLE_MS });
});

afterAll(async () => {
  await server?.close();
  await closeDb();
});

function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${PORT}/realtime/v1/websocket?apikey=${stackEnv().ANON_KEY}&vsn=2.0.0`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const closed = (ws: WebSocket): Promise<number> => new Promise((resolve) => ws.once('close', () => resolve(Date.now())));

it('closes a socket that stays silent, keeps one that sends heartbeats', async () => {
  const silent = await connect();
  const chatty = await connect();
  const opened = Date.now();
  const silentClosed = closed(silent);
  let chattyClosed = false;
  chatty.once('close', () => { chattyClosed = true; });
  let ref = 0;
  const beat = setInterval(() => {
    ref += 1;
    chatty.send(JSON.stringify([null, String(ref), 'phoenix', 'heartbeat', {}]));
  }, IDLE_MS / 4);
  try {
    const closedAt = await silentClosed;
    expect(closedAt - opened).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(closedAt - opened).toBeLessThan(IDLE_MS + 1500);
    await new Promise((r) => setTimeout(r, IDLE_MS * 2));
    expect(chattyClosed).toBe(false);
    expect(chatty.readyState).toBe(WebSocket.OPEN);
  } finally {
    clearInterval(beat);
    chatty.terminate();
  }
});
