// placeholder, replaced below
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
export async function createRealtime(_o: { dbUrl: string; rlsDbUrl: string; secret: Uint8Array }) {
  return {
    handleHttp: async (_req: IncomingMessage, res: ServerResponse) => { res.writeHead(404); res.end(); },
    handleUpgrade: (_req: IncomingMessage, socket: Duplex, _head: Buffer, _url: URL) => { socket.destroy(); },
    close: async () => {},
  };
}
