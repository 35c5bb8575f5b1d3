// The Phoenix wire protocol of /realtime/v1/websocket spoken directly with `ws`: refused
// upgrades, heartbeats, vsn 1.0.0 objects, binary kind-3 broadcasts, unmatched topics, leave.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import { API_URL, stackEnv } from '../../../test-support/stack.ts';

const WS_URL = API_URL.replace(/^http/, 'ws');

interface Socket { ws: WebSocket; frames: unknown[]; next(match: (frame: unknown) => boolean, timeoutMs?: number): Promise<unknown> }

function open(query: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${WS_URL}/realtime/v1/websocket?${query}`);
    const frames: unknown[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => resolve({
      ws,
      frames,
      async next(match, timeoutMs = 2000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const index = frames.findIndex(match);
          if (index >= 0) return frames.splice(index, 1)[0];
          if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      },
    }));
  });
}

const v2 = (event: string, ref: string) => (f: unknown) => Array.isArray(f) && f[3] === event && f[1] === ref;

describe('connection', () => {
  it('refuses a missing or forged API key with 401', async () => {
    await expect(open('vsn=2.0.0')).rejects.toThrow('HTTP 401');
    await expect(open('apikey=not.a.jwt&vsn=2.0.0')).rejects.toThrow('HTTP 401');
    // A user's access token is a valid JWT but not an API key (it belongs in the join's access_token).
    const userToken = await new SignJWT({ sub: crypto.randomUUID(), role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(stackEnv().JWT_SECRET));
    await expect(open(`apikey=${userToken}&vsn=2.0.0`)).rejects.toThrow('HTTP 401');
    (await open(`apikey=${stackEnv().SERVICE_ROLE_KEY}&vsn=2.0.0`)).ws.close();
  });

  it('answers heartbeats and refuses pushes to topics it has not joined', async () => {
    const socket = await open(`apikey=${stackEnv().ANON_KEY}&vsn=2.0.0`);
    socket.ws.send(JSON.stringify([null, '1', 'phoenix', 'heartbeat', {}]));
    expect(await socket.next(v2('phx_reply', '1'))).toEqual([null, '1', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    socket.ws.send(JSON.stringify(['9', '2', 'realtime:nowhere', 'broadcast', { type: 'broadcast', event: 'x', payload: {} }]));
    expect(await socket.next(v2('phx_reply', '2'))).toMatchObject(['9', '2', 'realtime:nowhere', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
    socket.ws.close();
  });
});

describe('channels', () => {
  it('decodes binary kind-3 broadcasts and relays them as JSON; leave is acknowledged and closed', async () => {
    const key = stackEnv().ANON_KEY;
    const sender = await open(`apikey=${key}&vsn=2.0.0`);
    const receiver = await open(`apikey=${key}&vsn=2.0.0`);
    const join = (s: Socket, ref: string) => s.ws.send(JSON.stringify([ref, ref, 'realtime:wire', 'phx_join', { config: { broadcast: { ack: true, self: false }, presence: { key: '', enabled: false }, postgres_changes: [], private: false } }]));
    join(sender, '1');
    join(receiver, '1');
    expect(await sender.next(v2('phx_reply', '1'))).toEqual(['1', '1', 'realtime:wire', 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);
    await receiver.next(v2('phx_reply', '1'));
    const parts = ['1', '2', 'realtime:wire', 'cursor', ''].map((s) => Buffer.from(s));
    const body = Buffer.from(JSON.stringify({ x: 2 }));
    sender.ws.send(Buffer.concat([Buffer.from([3, ...parts.map((p) => p.length), 1]), ...parts, body]), { binary: true });
    expect(await sender.next(v2('phx_reply', '2'))).toEqual(['1', '2', 'realtime:wire', 'phx_reply', { status: 'ok', response: {} }]);
    expect(await receiver.next((f) => Array.isArray(f) && f[3] === 'broadcast')).toEqual([null, null, 'realtime:wire', 'broadcast', { type: 'broadcast', event: 'cursor', payload: { x: 2 } }]);
    receiver.ws.send(JSON.stringify(['1', '3', 'realtime:wire', 'phx_leave', {}]));
    expect(await receiver.next(v2('phx_reply', '3'))).toMatchObject(['1', '3', 'realtime:wire', 'phx_reply', { status: 'ok' }]);
    expect(await receiver.next((f) => Array.isArray(f) && f[3] === 'phx_close')).toEqual(['1', '1', 'realtime:wire', 'phx_close', {}]);
    sender.ws.close();
    receiver.ws.close();
  });

  it('speaks vsn 1.0.0 JSON objects', async () => {
    const socket = await open(`apikey=${stackEnv().ANON_KEY}&vsn=1.0.0`);
    socket.ws.send(JSON.stringify({ topic: 'realtime:v1', event: 'phx_join', payload: { config: {} }, ref: '1', join_ref: '1' }));
    expect(await socket.next((f) => (f as { event?: string }).event === 'phx_reply')).toMatchObject({ topic: 'realtime:v1', ref: '1', payload: { status: 'ok' } });
    socket.ws.close();
  });

  it('rejects a join with an expired or forged access_token, and private channels for non-service roles', async () => {
    const socket = await open(`apikey=${stackEnv().ANON_KEY}&vsn=2.0.0`);
    socket.ws.send(JSON.stringify(['1', '1', 'realtime:t', 'phx_join', { config: {}, access_token: 'a.b.c' }]));
    expect(((await socket.next(v2('phx_reply', '1'))) as unknown[])[4]).toMatchObject({ status: 'error', response: { reason: expect.stringMatching(/^InvalidJWTToken/) } });
    socket.ws.send(JSON.stringify(['2', '2', 'realtime:t', 'phx_join', { config: { private: true } }]));
    expect(((await socket.next(v2('phx_reply', '2'))) as unknown[])[4]).toMatchObject({ status: 'error', response: { reason: expect.stringMatching(/^Unauthorized/) } });
    socket.ws.close();
  });

  it('ends a channel when its token expires: system error, then phx_close', { timeout: 20_000 }, async () => {
    const exp = Math.floor(Date.now() / 1000) + 2;
    const shortLived = await new SignJWT({ role: 'anon' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp)
      .sign(new TextEncoder().encode(stackEnv().JWT_SECRET));
    const socket = await open(`apikey=${stackEnv().ANON_KEY}&vsn=2.0.0`);
    socket.ws.send(JSON.stringify(['1', '1', 'realtime:short', 'phx_join', { config: {}, access_token: shortLived }]));
    expect(((await socket.next(v2('phx_reply', '1'))) as unknown[])[4]).toMatchObject({ status: 'ok' });
    const system = (await socket.next((f) => Array.isArray(f) && f[3] === 'system', 8000)) as unknown[];
    expect(system[4]).toMatchObject({ extension: 'system', status: 'error', message: expect.stringMatching(/^Token has expired \d+ seconds ago$/), channel: 'short' });
    expect(await socket.next((f) => Array.isArray(f) && f[3] === 'phx_close')).toEqual(['1', '1', 'realtime:short', 'phx_close', {}]);
    socket.ws.close();
  });
});
