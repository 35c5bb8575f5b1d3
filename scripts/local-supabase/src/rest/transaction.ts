// Runs one API request in one transaction as the caller's role, exactly like PostgREST:
// connect as `authenticator`, then SET LOCAL role, request.jwt.claims, request.method,
// request.path and request.headers, so RLS policies, grants and auth.uid() decide.
import type { IncomingHttpHeaders } from 'node:http';
import type pg from 'pg';
import type { RequestIdentity } from '../keys.ts';

export interface RequestContext {
  identity: RequestIdentity;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  readOnly: boolean;
}

function headersJson(headers: IncomingHttpHeaders): string {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'cookie' || value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return JSON.stringify(out);
}

export async function inRequestTransaction<T>(
  pool: pg.Pool,
  context: RequestContext,
  work: (client: pg.PoolClient) => Promise<T>,
  options: { rollback?: (result: T) => boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    // One round trip for BEGIN and the settings (a multi-statement simple query, so the values
    // are escaped literals rather than parameters): each round trip is a large share of an RPC.
    const settings: [string, string][] = [
      ['search_path', 'public, extensions'],
      ['role', context.identity.role],
      ['request.jwt.claims', JSON.stringify(context.identity.claims)],
      ['request.method', context.method],
      ['request.path', context.path],
      ['request.headers', headersJson(context.headers)],
    ];
    const setConfig = settings
      .map(([name, value]) => `set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, true)`)
      .join(', ');
    await client.query(`${context.readOnly ? 'begin read only' : 'begin'}; select ${setConfig}`);
    const result = await work(client);
    await client.query(options.rollback?.(result) ? 'rollback' : 'commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => { broken = true; });
    throw error;
  } finally {
    client.release(broken);
  }
}
