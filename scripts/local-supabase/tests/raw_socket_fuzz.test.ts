// No bytes end the API or get a 5xx. Raw sockets (node:net) send what no HTTP client would:
// malformed request lines and targets, oversized and duplicated headers, bad percent-encodings,
// JSON nested 20,000 deep, truncated bodies, resets (RST) at every phase, and hand-built
// websocket frames after a valid upgrade. The API runs as its own child process (as under
// `npm start`), so a crash shows as an exit, and after every case it must still answer health.
// A fixed list of known crashers runs first, then seeded, deterministic random requests.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, TSX, type Service } from '../../lib/services.ts';
import { freePort, stackEnv, TEST_DB_URL } from '../../../test-support/stack.ts';
import { exchange, firstJsonBody, upgradeRequest, wsFrame, type Ending, type Exchange } from './_raw_socket.ts';

const PORT = await freePort();
const BASE = `http://127.0.0.1:${PORT}`;
const ANON = stackEnv().ANON_KEY;
const deep = (depth: number, leaf = '1'): string => '['.repeat(depth) + leaf + ']'.repeat(depth);

let api: Service;

beforeAll(async () => {
  const db = new URL(TEST_DB_URL);
  api = await startService('fuzz-api', TSX, ['scripts/local-supabase/src/server.ts', '--port', String(PORT), '--db', db.pathname.slice(1), '--no-watch'],
    `${BASE}/auth/v1/health`, { env: { STACK_DB_PORT: db.port } });
});

afterAll(async () => { await api?.stop(); });

/** The process is the one we started and it still answers. */
async function expectAlive(context: string): Promise<void> {
  const exited = api.child.exitCode ?? api.child.signalCode;
  const health = exited === null ? await fetch(`${BASE}/auth/v1/health`).then((r) => r.status, (e: Error) => e.message) : 'no process';
  expect({ context, exited, health }).toEqual({ context, exited: null, health: 200 });
}

function expectNo5xx(result: Exchange, context: string): void {
  expect({ context, statuses: result.statuses.filter((s) => s >= 500) }).toEqual({ context, statuses: [] });
}

const request = (line: string, headers: string[], body = ''): string =>
  `${line}\r\n${['Host: 127.0.0.1', 'Connection: close', ...headers].join('\r\n')}\r\n\r\n${body}`;
const post = (target: string, body: string, headers: string[] = []): string =>
  request(`POST ${target} HTTP/1.1`, [`apikey: ${ANON}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, ...headers], body);

describe('known crashers', () => {
  it('an invalid request target (//[) answers 400, also on the upgrade path', async () => {
    for (const upgrade of [false, true]) {
      const extra = upgrade ? ['Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'] : [];
      const result = await exchange(PORT, [request('GET //[ HTTP/1.1', extra)], 'half-close');
      expect({ upgrade, statuses: result.statuses, body: firstJsonBody(result.received) })
        .toEqual({ upgrade, statuses: [400], body: { message: 'Bad Request: the request target is not a valid URL' } });
      await expectAlive(`//[ upgrade=${upgrade}`);
    }
  });

  it('a refused websocket upgrade followed by a reset leaves the server up', async () => {
    for (const query of ['', '?vsn=9.9.9', '?apikey=not-a-key', `?apikey=${ANON}&vsn=bad`]) {
      for (let i = 0; i < 5; i += 1) await exchange(PORT, [upgradeRequest(query)], 'reset');
      const answered = await exchange(PORT, [upgradeRequest(query)], 'half-close');
      expect({ query, statuses: answered.statuses }).toEqual({ query, statuses: [query.includes('vsn') ? 400 : 401] });
      await expectAlive(`refused upgrade ${query}`);
    }
  });

  it('malformed percent-encoding in a path is not found (404, PostgREST codes), not a 500', async () => {
    const table = await exchange(PORT, [request('GET /rest/v1/%E0%A4%A HTTP/1.1', [`apikey: ${ANON}`])], 'half-close');
    expect({ statuses: table.statuses, code: (firstJsonBody(table.received) as { code: string }).code }).toEqual({ statuses: [404], code: 'PGRST205' });
    const rpc = await exchange(PORT, [post('/rest/v1/rpc/%ZZ', '{}')], 'half-close');
    expect({ statuses: rpc.statuses, code: (firstJsonBody(rpc.received) as { code: string }).code }).toEqual({ statuses: [404], code: 'PGRST202' });
    const broadcast = await exchange(PORT, [post('/realtime/v1/api/broadcast/%E0%A4%A/events/%ZZ', '{}')], 'half-close');
    expect(broadcast.statuses).toEqual([202]);
    await expectAlive('percent-encoding');
  });

  it('JSON nested 20,000 deep answers 400 in each service\'s format', async () => {
    const rpc = await exchange(PORT, [post('/rest/v1/rpc/deduct_credits', `{"amount": ${deep(20_000)}}`)], 'half-close');
    expect({ statuses: rpc.statuses, body: firstJsonBody(rpc.received) }).toEqual({ statuses: [400], body: {
      code: 'PGRST102', message: 'Empty or invalid json', details: 'JSON nested deeper than 1000 levels', hint: null } });
    const signup = await exchange(PORT, [post('/auth/v1/signup', `{"email":"deep@example.test","password":"long-enough-1","data":{"a":${deep(20_000)}}}`)], 'half-close');
    expect({ statuses: signup.statuses, body: firstJsonBody(signup.received) }).toEqual({ statuses: [400], body: {
      code: 400, error_code: 'bad_json', msg: 'Could not parse request body as JSON: exceeded max depth' } });
    const broadcast = await exchange(PORT, [post('/realtime/v1/api/broadcast', `{"messages":[{"topic":"t","event":"e","payload":${deep(20_000)}}]}`)], 'half-close');
    expect({ statuses: broadcast.statuses, body: firstJsonBody(broadcast.received) }).toEqual({ statuses: [400], body: {
      error: 'body is not JSON: JSON nested deeper than 1000 levels' } });
    await expectAlive('deep JSON');
  });

  it('unparsable requests answer 400, oversized headers 431, truncated bodies and resets end quietly', async () => {
    const cases: [string, (string | Buffer)[], Ending, number[]][] = [
      ['garbage request line', ['\x00\xff GARBAGE\r\n\r\n'], 'half-close', [400]],
      ['header over 16 KB', [request('GET /rest/v1/users HTTP/1.1', [`X-Big: ${'a'.repeat(20_000)}`])], 'half-close', [431]],
      ['duplicated Content-Length', [request('POST /rest/v1/rpc/x HTTP/1.1', ['Content-Length: 2', 'Content-Length: 3'], '{}')], 'half-close', [400]],
      ['bad chunk size', [request('POST /rest/v1/rpc/x HTTP/1.1', ['Transfer-Encoding: chunked'], 'zz\r\n')], 'half-close', [400]],
      ['body shorter than Content-Length', [post('/rest/v1/rpc/deduct_credits', '{"amount": 1}').replace(/Content-Length: \d+/, 'Content-Length: 500')], 'half-close', [400]],
      ['reset mid-body', [post('/auth/v1/signup', '{"email":"x"}').replace(/Content-Length: \d+/, 'Content-Length: 500')], 'reset', []],
      ['reset mid-headers', ['POST /rest/v1/rpc/x HTTP/1.1\r\nHost: a\r\nContent-Le'], 'reset', []],
      ['reset mid-request-line', ['GET /rest/v1/us'], 'reset', []],
      ['reset after a whole request', [post('/rest/v1/rpc/deduct_credits', '{"amount": 1}')], 'reset', []],
    ];
    for (const [name, parts, ending, statuses] of cases) {
      const result = await exchange(PORT, parts, ending);
      expect({ name, statuses: result.statuses }).toEqual({ name, statuses });
      await expectAlive(name);
    }
  });
});

describe('malformed websocket frames after a valid upgrade', () => {
  const text = (s: string | Buffer): Buffer => (typeof s === 'string' ? Buffer.from(s) : s);
  const cases: [string, Buffer[], Ending][] = [
    ['reserved opcode 3', [wsFrame({ opcode: 3, payload: text('x') })], 'keep'],
    ['unmasked client frame', [wsFrame({ opcode: 1, payload: text('[null,"1","phoenix","heartbeat",{}]'), masked: false })], 'keep'],
    ['declared length 2^62', [wsFrame({ opcode: 2, declaredLength: 2n ** 62n })], 'keep'],
    ['declared length over 5 MB', [wsFrame({ opcode: 2, declaredLength: 6_000_000n })], 'keep'],
    ['invalid UTF-8 text', [wsFrame({ opcode: 1, payload: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) })], 'keep'],
    ['reserved bits set', [wsFrame({ opcode: 1, rsv: 5, payload: text('[]') })], 'keep'],
    ['close with code 999', [wsFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) })], 'keep'],
    ['close with code 1005', [wsFrame({ opcode: 8, payload: Buffer.from([0x03, 0xed]) })], 'keep'],
    ['fragmented ping', [wsFrame({ opcode: 9, fin: false, payload: text('p') })], 'keep'],
    ['ping over 125 bytes', [wsFrame({ opcode: 9, payload: Buffer.alloc(200) })], 'keep'],
    ['not JSON', [wsFrame({ opcode: 1, payload: text('{oops') })], 'keep'],
    ['JSON 20,000 deep', [wsFrame({ opcode: 1, payload: text(`[null,"1","realtime:x","broadcast",${deep(20_000)}]`) })], 'keep'],
    ['truncated binary broadcast', [wsFrame({ opcode: 2, payload: Buffer.from([3, 200, 200, 200, 200, 200, 1]) })], 'keep'],
    ['truncated frame, then reset', [wsFrame({ opcode: 1, payload: text('[null,"1","phoenix","heartbeat",{}]') }).subarray(0, 9)], 'reset'],
    ['half a frame header, then reset', [Buffer.from([0x81])], 'reset'],
  ];

  it('a well-formed heartbeat is answered (the harness speaks websocket)', async () => {
    const result = await exchange(PORT, [upgradeRequest(`?apikey=${ANON}&vsn=2.0.0`), wsFrame({ opcode: 1, payload: Buffer.from('[null,"1","phoenix","heartbeat",{}]') })], 'keep', 500);
    expect(result.statuses).toEqual([101]);
    expect(result.received.toString('utf8')).toContain('"phx_reply"');
  });

  it.each(cases)('%s: the server closes that socket (1002/1003/1007/1009) and stays up', async (name, frames, ending) => {
    const result = await exchange(PORT, [upgradeRequest(`?apikey=${ANON}&vsn=2.0.0`), ...frames], ending);
    if (ending === 'keep') {
      expect(result.statuses).toEqual([101]);
      // A close frame with a protocol-error code, or (for a frame it cannot even parse) a plain close.
      expect({ name, closed: result.closedByServer || result.closeCodes.length > 0 }).toEqual({ name, closed: true });
      for (const code of result.closeCodes) expect([1002, 1003, 1007, 1009]).toContain(code);
    }
    await expectAlive(name);
  });
});

describe('seeded random requests', () => {
  // Weighted towards requests Node parses, so most cases reach the routes behind the parser.
  const methods = fc.oneof({ arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD'), weight: 8 },
    { arbitrary: fc.stringMatching(/^[A-Z]{1,8}$/), weight: 1 }, { arbitrary: fc.string({ maxLength: 6 }), weight: 1 });
  const noise = fc.string({ unit: fc.constantFrom('a', '%', '%E0', '%A', '%ZZ', '%00', '[', ']', '?', '#', '/', '..', '=', '&', 'é', '\u{1F600}', ' ', '\t', '"', '\\'), maxLength: 12 });
  const targets = fc.oneof(
    fc.tuple(fc.constantFrom('/rest/v1/', '/rest/v1/rpc/', '/rest/v1/users?select=', '/auth/v1/', '/auth/v1/token?grant_type=',
      '/realtime/v1/api/broadcast/', '/realtime/v1/websocket?vsn=', '/functions/v1/', '/', '//', ''), noise).map(([prefix, tail]) => prefix + tail),
    fc.constantFrom('//[', '*', 'http://[::1', 'http://x/rest/v1/users', '%', ' ', '/\u00ff', '/rest/v1/%E0%A4%A', '/rest/v1/rpc/%ZZ'),
  );
  const versions = fc.oneof({ arbitrary: fc.constant('HTTP/1.1'), weight: 8 },
    { arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 extra', ''), weight: 2 });
  const headerLines = fc.array(fc.oneof(
    { arbitrary: fc.constant(`apikey: ${ANON}`), weight: 6 }, fc.constant('Content-Type: application/json'), fc.constant('X-Supabase-Api-Version: 2024-01-01'),
    fc.constantFrom('Content-Length: 5', 'Content-Length: -1', 'Content-Length: abc', 'Content-Length: 1, 2', 'Content-Length: 99999999999'),
    fc.constantFrom('Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: x'),
    fc.constantFrom('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='),
    fc.constantFrom('Authorization: Bearer garbage', 'Authorization: Bearer', 'Prefer: return=representation,count=exact', 'Range: 0-x', 'Accept-Profile: nope'),
    fc.constant(`X-Big: ${'b'.repeat(17_000)}`),
    fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 })).map(([name, value]) => `${name}: ${value}`),
  ), { maxLength: 5 });
  // Described, not built, so a counterexample prints short: `{ deep: 20000 }`, not 40,000 bytes.
  const bodies = fc.oneof(
    fc.json({ maxDepth: 3 }).map((json) => ({ json })),
    fc.integer({ min: 900, max: 20_000 }).map((depth) => ({ deep: depth })),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes: [...bytes] })),
    fc.constant({ bytes: [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d] as number[] }),
  );
  const bodyBytes = (d: { json?: string; deep?: number; bytes?: number[] }): Buffer =>
    d.json !== undefined ? Buffer.from(d.json) : d.deep !== undefined ? Buffer.from(`{"amount":${deep(d.deep)}}`) : Buffer.from(d.bytes ?? []);
  const seen = new Set<number>();
  const endings = fc.constantFrom('complete', 'truncated', 'reset-line', 'reset-headers', 'reset-body', 'reset-after', 'split');

  it('never end the process and never answer 5xx', async () => {
    await fc.assert(fc.asyncProperty(methods, targets, versions, headerLines, bodies, endings, async (method, target, version, headers, described, how) => {
      const body = bodyBytes(described);
      const declared = headers.some((h) => /^(content-length|transfer-encoding):/i.test(h));
      const connection = headers.includes('Connection: Upgrade') ? '' : 'Connection: close\r\n';
      const head = Buffer.from(`${method} ${target} ${version}\r\nHost: 127.0.0.1\r\n${connection}${headers.join('\r\n')}${declared ? '' : `\r\nContent-Length: ${body.length}`}\r\n\r\n`);
      const whole = Buffer.concat([head, body]);
      const cut = (n: number): Buffer[] => [whole.subarray(0, n)];
      const plan: Record<string, [Buffer[], Ending]> = {
        complete: [[whole], 'half-close'],
        truncated: [cut(head.length + Math.floor(body.length / 2)), 'half-close'],
        'reset-line': [cut(Math.min(5, head.length)), 'reset'],
        'reset-headers': [cut(Math.floor(head.length / 2)), 'reset'],
        'reset-body': [cut(head.length + Math.floor(body.length / 2)), 'reset'],
        'reset-after': [[whole], 'reset'],
        split: [[...whole].length > 1 ? [whole.subarray(0, 3), whole.subarray(3)] : [whole], 'half-close'],
      };
      const [parts, ending] = plan[how];
      const context = `${how}: ${JSON.stringify(head.toString('latin1').slice(0, 200))}`;
      const result = await exchange(PORT, parts, ending);
      expectNo5xx(result, context);
      for (const status of result.statuses) seen.add(status);
      // Answered and closed, or at least closed once we half-closed (a websocket that was accepted may stay open).
      if (ending === 'half-close' && !result.statuses.includes(101)) expect({ context, closed: result.closedByServer }).toEqual({ context, closed: true });
      await expectAlive(context);
    }), { seed: 20_261_201, numRuns: 250, endOnFailure: true });
    // The harness reached past Node's parser into each layer: rejected syntax, keys, routes.
    expect([400, 401, 404, 431].filter((s) => seen.has(s))).toEqual([400, 401, 404, 431]);
  });
});
