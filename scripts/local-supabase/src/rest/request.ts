// What every REST handler receives, and what it answers.
import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import type { RequestIdentity } from '../keys.ts';
import type { SchemaCache } from './schema-cache.ts';
import { restError } from './errors.ts';
import { JsonTooDeep, parseJsonBounded } from '../json-depth.ts';
import type { RequestContext } from './transaction.ts';

export interface RestRequest {
  req: IncomingMessage;
  method: string;
  /** Path after /rest/v1, e.g. `/users` or `/rpc/deduct_credits`. */
  path: string;
  query: URLSearchParams;
  identity: RequestIdentity;
  pool: pg.Pool;
  cache: SchemaCache;
  maxRows: number;
  body: Buffer;
}

export interface RestResponse {
  status: number;
  body?: string;
  headers: Record<string, string>;
}

export const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

export function contextOf(request: RestRequest, readOnly: boolean): RequestContext {
  return { identity: request.identity, method: request.method, path: request.path, headers: request.req.headers, readOnly };
}

/** The JSON body; PostgREST answers PGRST102 for anything that is not valid JSON. */
export function jsonBody(request: RestRequest, emptyAs?: unknown): unknown {
  const text = request.body.toString('utf8');
  if (text.trim() === '') {
    if (emptyAs !== undefined) return emptyAs;
    throw restError(400, 'PGRST102', 'Empty or invalid json');
  }
  try {
    return parseJsonBounded(text);
  } catch (error) {
    throw restError(400, 'PGRST102', 'Empty or invalid json', error instanceof JsonTooDeep ? error.message : null);
  }
}

/** A singular (vnd.pgrst.object+json) response must hold exactly one row. */
export function singularError(rows: number): ReturnType<typeof restError> {
  return restError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${rows} rows`);
}

export function unwrapSingle(arrayText: string): string {
  const rows = JSON.parse(arrayText) as unknown[];
  return JSON.stringify(rows[0]);
}
