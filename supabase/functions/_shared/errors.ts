// Errors are part of the functions' API: every failure answers
// `{ "error": { "code": "...", "message": "..." } }` with a stable code the SPA can switch on.
import { jsonResponse } from './responses.ts';

export type ErrorCode =
  | 'method_not_allowed'
  | 'invalid_request'
  | 'unknown_plan'
  | 'unauthorized'
  | 'forbidden'
  | 'not_team_admin'
  | 'no_subscription'
  | 'subscription_exists'
  | 'plan_not_subscription'
  | 'not_found'
  | 'conflict'
  | 'bad_signature'
  | 'missing_env'
  | 'provider_error'
  | 'internal_error';

/** An expected failure: thrown anywhere in a request, turned into a response by `errorResponse`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}

/** Unexpected errors are logged and answered without internals, so nothing leaks to the caller. */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) {
    return jsonResponse(errorBody(error.code, error.message), error.status);
  }
  console.error('unexpected error', error);
  return jsonResponse(errorBody('internal_error', 'Something went wrong on our side; please try again.'), 500);
}
