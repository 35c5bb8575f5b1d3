import type { AppError } from './appError.ts';

/** What every call to the server resolves to: the data, or an AppError ready to show. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: AppError };

export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

export function fail<T>(error: AppError): Result<T> {
  return { ok: false, error };
}
