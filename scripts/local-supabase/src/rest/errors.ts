// PostgREST's error bodies ({code, message, details, hint}) and its SQLSTATE → HTTP status table
// (PostgREST Error.hs mapSQLtoHTTP), so supabase-js sees the same `error` objects as in production.
import type { DatabaseError } from 'pg';

export interface RestErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: RestErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

export function restError(status: number, code: string, message: string, details: string | null = null, hint: string | null = null): RestError {
  return new RestError(status, { code, message, details, hint });
}

export function isDatabaseError(error: unknown): error is DatabaseError {
  return typeof error === 'object' && error !== null && 'code' in error && 'severity' in error;
}

/**
 * HTTP status for a SQLSTATE; `authed` is false when the request ran as the anon role.
 * One deliberate difference: class 54 (program limit exceeded: stack depth, index row size, too
 * many arguments) is 400 here, not PostgREST's 500; only a request's own input can reach it.
 */
export function statusForSqlState(code: string, message: string, authed: boolean): number {
  if (/^PT\d\d\d$/.test(code)) return Number(code.slice(2));
  const exact: Record<string, number> = {
    '23503': 409, '23505': 409, '25006': 405, '42883': 404, '42P01': 404, '42P17': 500,
    '53400': 500, '57P01': 503, P0001: 400,
  };
  if (code === '21000') return message.endsWith('requires a WHERE clause') ? 400 : 500;
  if (code === '22023') return /^role .* does not exist$/.test(message) ? 401 : 400;
  if (code === '42501') return authed ? 403 : 401;
  if (exact[code] !== undefined) return exact[code];
  const byClass: Record<string, number> = {
    '08': 503, '09': 500, '0L': 403, '0P': 403, '25': 500, '28': 403, '2D': 500, '38': 500, '39': 500,
    '3B': 500, '40': 500, '53': 503, '54': 400, '55': 500, '57': 500, '58': 500, F0: 500, HV: 500, P0: 500, XX: 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
}

/** A raised `sqlstate 'PGRST'` carries its own body (message JSON) and status (detail JSON). */
function customPgrstError(error: DatabaseError): RestError {
  try {
    const body = JSON.parse(error.message) as Partial<RestErrorBody>;
    const detail = JSON.parse(error.detail ?? '{}') as { status?: number; headers?: Record<string, string> };
    return new RestError(detail.status ?? 400, {
      code: String(body.code ?? 'PGRST'), message: String(body.message ?? ''),
      details: body.details ?? null, hint: body.hint ?? null,
    }, detail.headers ?? {});
  } catch {
    return restError(500, 'PGRST121', 'Could not parse JSON in the RAISE SQLSTATE \'PGRST\' error');
  }
}

export function fromDatabaseError(error: DatabaseError, authed: boolean): RestError {
  const code = error.code ?? 'XX000';
  if (code === 'PGRST') return customPgrstError(error);
  const status = statusForSqlState(code, error.message, authed);
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
  return new RestError(status, { code, message: error.message, details: error.detail ?? null, hint: error.hint ?? null }, headers);
}
