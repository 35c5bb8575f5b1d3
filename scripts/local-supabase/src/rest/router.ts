// /rest/v1: authenticates the request (API key + bearer), checks the profile headers, routes to
// tables or rpc, and turns every failure into PostgREST's error body and status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import { header, readBody, send, sendJson, BodyTooLarge, ClientGone } from '../http.ts';
import { decodePathSegment } from '../percent-decode.ts';
import { AuthFailure, identityOfRequest, type ApiKeyRing, type RequestIdentity } from '../keys.ts';
import { EXPOSED_SCHEMA, type SchemaCache } from './schema-cache.ts';
import { fromDatabaseError, isDatabaseError, RestError, restError } from './errors.ts';
import { readTable } from './read.ts';
import { deleteRows, insertRows, updateRows } from './write.ts';
import { callRpc } from './rpc.ts';
import type { RestRequest, RestResponse } from './request.ts';
import { unsupported } from './unsupported.ts';

export interface RestDeps {
  pool: pg.Pool;
  cache: SchemaCache;
  secret: Uint8Array;
  keys: ApiKeyRing;
  maxRows: number;
  /** config.toml [api] schemas (`supabase start` exposes these; the stand-in serves `public`). */
  apiSchemas?: string[];
}

function authError(failure: AuthFailure): RestError {
  if (failure.code === 'NO_API_KEY') {
    return new RestError(401, { code: 'PGRST301', message: failure.message, details: null, hint: 'Pass the anon key in the apikey header' });
  }
  return new RestError(401, { code: failure.code, message: failure.message, details: null, hint: null },
    { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${failure.message}"` });
}

/**
 * Accept-Profile / Content-Profile. A schema `supabase start` would not expose either is PostgREST's
 * 406 PGRST106; one it exposes (config.toml [api] schemas) but the stand-in does not serve is ours.
 */
function checkProfile(req: IncomingMessage, method: string, apiSchemas: string[]): void {
  const name = method === 'GET' || method === 'HEAD' ? 'accept-profile' : 'content-profile';
  const profile = header(req, name);
  if (profile === undefined || profile === EXPOSED_SCHEMA) return;
  const exposed = apiSchemas.includes(EXPOSED_SCHEMA) ? apiSchemas : [EXPOSED_SCHEMA, ...apiSchemas];
  if (exposed.includes(profile)) throw unsupported(`schemas other than \`public\` (\`${name}: ${profile}\`)`, 406);
  throw restError(406, 'PGRST106', 'Invalid schema: ' + profile, null, `Only the following schemas are exposed: ${exposed.join(', ')}`);
}

/** Request bodies other than JSON (CSV, form data, raw bodies for single-parameter functions). */
function checkContentType(req: IncomingMessage, method: string): void {
  if (method !== 'POST' && method !== 'PATCH') return;
  const type = (header(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') throw unsupported('CSV request bodies (`Content-Type: text/csv`)', 415);
  if (type === 'application/x-www-form-urlencoded') throw unsupported('form-encoded request bodies (`Content-Type: application/x-www-form-urlencoded`)', 415);
  if (['text/plain', 'text/xml', 'application/octet-stream'].includes(type)) throw unsupported(`raw request bodies (\`Content-Type: ${type}\`)`, 415);
}

async function route(request: RestRequest): Promise<RestResponse> {
  const segments = request.path.split('/').filter((s) => s !== '').map(decodePathSegment);
  if (segments.length === 2 && segments[0] === 'rpc') {
    if (!['GET', 'HEAD', 'POST'].includes(request.method)) throw restError(405, 'PGRST117', `Unsupported HTTP method: ${request.method}`);
    return callRpc(request, segments[1]);
  }
  if (segments.length === 0 && (request.method === 'GET' || request.method === 'HEAD')) throw unsupported('the OpenAPI description at the root path (`GET /rest/v1/`)', 404);
  if (segments.length !== 1) throw restError(404, 'PGRST125', `Invalid path specified in request URL`);
  const table = await request.cache.table(segments[0]);
  if (!table) {
    throw restError(404, 'PGRST205', `Could not find the table '${EXPOSED_SCHEMA}.${segments[0]}' in the schema cache`);
  }
  if ((request.method === 'PATCH' || request.method === 'DELETE') && (request.query.has('limit') || request.query.has('offset'))) {
    // PostgREST limits such a write (or answers PGRST109 without `order`); ignoring the limit would
    // change every matching row, so it is refused rather than widened in silence.
    throw unsupported(`\`limit\`/\`offset\` on ${request.method} (limited updates and deletes)`);
  }
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return readTable(request, table);
    case 'POST':
      return insertRows(request, table);
    case 'PATCH':
      return updateRows(request, table);
    case 'DELETE':
      return deleteRows(request, table);
    case 'PUT':
      throw unsupported('PUT (single-row upsert by primary key)', 405);
    default:
      throw restError(405, 'PGRST117', `Unsupported HTTP method: ${request.method}`);
  }
}

export function createRestHandler(deps: RestDeps) {
  return async function handleRest(req: IncomingMessage, res: ServerResponse, url: URL, subPath: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    let identity: RequestIdentity | undefined;
    try {
      identity = await identityOfRequest(req.headers, deps.secret, deps.keys).catch((error: unknown) => {
        throw error instanceof AuthFailure ? authError(error) : error;
      });
      checkProfile(req, method, deps.apiSchemas ?? [EXPOSED_SCHEMA]);
      checkContentType(req, method);
      const body = await readBody(req);
      const request: RestRequest = {
        req, method, path: subPath, query: url.searchParams, identity, pool: deps.pool, cache: deps.cache, maxRows: deps.maxRows, body,
      };
      const response = await route(request);
      send(res, response.status, response.body, response.headers);
    } catch (error) {
      if (error instanceof ClientGone) return;
      let restErr: RestError;
      if (error instanceof RestError) restErr = error;
      else if (error instanceof BodyTooLarge) restErr = restError(413, 'PGRST413', 'Payload Too Large', error.message);
      else if (isDatabaseError(error)) restErr = fromDatabaseError(error, identity !== undefined && identity.role !== 'anon');
      else {
        console.error('rest: unexpected error', error);
        restErr = restError(500, 'PGRST000', error instanceof Error ? error.message : String(error));
      }
      sendJson(res, restErr.status, restErr.body, restErr.headers);
    }
  };
}
