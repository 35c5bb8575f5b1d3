// GoTrue's error responses. auth-js sends X-Supabase-Api-Version: 2024-01-01, for which GoTrue
// answers {code: <error_code>, message} and echoes the header; older clients get
// {code: <status>, error_code, msg}. The versioned body also carries error_code/msg so a browser
// that cannot read the echoed header still gets the right AuthApiError.code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { header, sendJson } from '../http.ts';

export const API_VERSION = '2024-01-01';

export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** OAuth-style errors ({error, error_description}), used by the token endpoint for bad requests. */
export class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(description);
  }
}

export function isVersioned(req: IncomingMessage): boolean {
  const version = header(req, 'x-supabase-api-version');
  return version !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= API_VERSION;
}

export function sendAuthError(req: IncomingMessage, res: ServerResponse, error: AuthError | OAuthError): void {
  if (error instanceof OAuthError) {
    sendJson(res, 400, { error: error.error, error_description: error.description });
    return;
  }
  const headers: Record<string, string> = { 'x-sb-error-code': error.errorCode };
  if (isVersioned(req)) {
    headers['X-Supabase-Api-Version'] = API_VERSION;
    sendJson(res, error.status, { code: error.errorCode, message: error.message, error_code: error.errorCode, msg: error.message, ...error.extra }, headers);
  } else {
    sendJson(res, error.status, { code: error.status, error_code: error.errorCode, msg: error.message, ...error.extra }, headers);
  }
}

export const invalidCredentials = (): AuthError => new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
export const validationFailed = (message: string): AuthError => new AuthError(400, 'validation_failed', message);

/** A Postgres data exception (SQLSTATE class 22) raised by a value the client sent. */
export function isDataException(error: unknown): error is { code: string; message: string } {
  if (typeof error !== 'object' || error === null || !('severity' in error) || !('code' in error)) return false;
  return typeof error.code === 'string' && error.code.startsWith('22');
}
