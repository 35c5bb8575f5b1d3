// Raw TCP conversations with the API for the byte-level fuzz test: write request bytes in parts,
// then half-close, reset (RST) or keep the socket open, and collect what came back. Also builds
// websocket frames by hand (any opcode, mask, length or reserved bits), which no client library sends.
import crypto from 'node:crypto';
import net from 'node:net';

export type Ending = 'half-close' | 'reset' | 'keep';

const GRACE_MS = 150;

export interface Exchange {
  /** Every HTTP status line received (pipelined requests may get several). */
  statuses: number[];
  /** The raw bytes received. */
  received: Buffer;
  /** The server closed (or reset) the connection before `waitMs`. */
  closedByServer: boolean;
  /** Close codes of the websocket close frames the server sent. */
  closeCodes: number[];
}

export const statusesIn = (bytes: Buffer): number[] =>
  [...bytes.toString('latin1').matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1]));

/** The JSON body of the first response in `received` (Content-Length or chunked framing). */
export function firstJsonBody(received: Buffer): unknown {
  const start = received.indexOf('\r\n\r\n') + 4;
  const head = received.subarray(0, start).toString('latin1');
  let rest = received.subarray(start);
  if (!/^transfer-encoding: chunked/im.test(head)) {
    return JSON.parse(rest.subarray(0, Number(/^content-length: (\d+)/im.exec(head)?.[1] ?? rest.length)).toString('utf8'));
  }
  const chunks: Buffer[] = [];
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
    if (!size) break;
    chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
    rest = rest.subarray(lineEnd + 4 + size);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Opens a socket, writes `parts` one per tick, ends the way `ending` says, and waits for the
 * server to close it, to send a websocket close frame, or for `waitMs`. A half-close waits
 * `GRACE_MS` first: Node drops a request whose client half-closed before it was answered.
 */
export function exchange(port: number, parts: (string | Buffer)[], ending: Ending, waitMs = 2000): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const received = Buffer.concat(chunks);
      resolve({ statuses: statusesIn(received), received, closedByServer, closeCodes: closeCodesIn(received) });
    };
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (closeCodesIn(Buffer.concat(chunks)).length > 0) finish();
    });
    socket.on('error', () => {});
    socket.on('close', finish);
    socket.on('end', () => { closedByServer = true; socket.end(); });
    socket.once('connect', async () => {
      for (const part of parts) {
        if (socket.destroyed) return;
        socket.write(part);
        await new Promise((r) => setImmediate(r));
      }
      if (ending === 'reset') {
        socket.resetAndDestroy();
        return;
      }
      if (ending === 'half-close') {
        await new Promise((r) => setTimeout(r, GRACE_MS));
        if (!socket.destroyed) socket.end();
      }
      timer = setTimeout(finish, waitMs);
    });
  });
}

export interface FrameSpec {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  /** RSV1-3 bits (0-7). */
  rsv?: number;
  masked?: boolean;
  /** A declared length other than the payload's (e.g. 2^62, or more than is sent). */
  declaredLength?: bigint;
}

/** One websocket frame, built by hand (RFC 6455 §5.2). */
export function wsFrame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const length = spec.declaredLength ?? BigInt(payload.length);
  const masked = spec.masked ?? true;
  const head = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | spec.opcode];
  const maskBit = masked ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65536n) { head.push(maskBit | 126); extended = Buffer.alloc(2); extended.writeUInt16BE(Number(length)); }
  else { head.push(maskBit | 127); extended = Buffer.alloc(8); extended.writeBigUInt64BE(length); }
  if (!masked) return Buffer.concat([Buffer.from(head), extended, payload]);
  const mask = crypto.randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([Buffer.from(head), extended, mask, body]);
}

export function upgradeRequest(query: string, headers: Record<string, string> = {}): string {
  const lines = [`GET /realtime/v1/websocket${query} HTTP/1.1`, 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Close codes in the server's close frames (opcode 8), unmasked server → client. */
export function closeCodesIn(bytes: Buffer): number[] {
  const codes: number[] = [];
  const start = bytes.indexOf('\r\n\r\n');
  if (!bytes.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 101') || start < 0) return codes;
  let offset = start + 4;
  while (offset + 2 <= bytes.length) {
    const opcode = bytes[offset] & 0x0f;
    let length = bytes[offset + 1] & 0x7f;
    let header = 2;
    if (length === 126) { length = bytes.readUInt16BE(offset + 2); header = 4; }
    else if (length === 127) { length = Number(bytes.readBigUInt64BE(offset + 2)); header = 10; }
    if (offset + header + length > bytes.length) break;
    if (opcode === 8 && length >= 2) codes.push(bytes.readUInt16BE(offset + header));
    offset += header + length;
  }
  return codes;
}
