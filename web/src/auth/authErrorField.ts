// Which field of the email + password form a server error is about, so its message sits on that
// field (and goes away when that field changes) instead of above the form, where it outlives its cause.
import type { AppError } from '../lib/appError.ts';
import type { Credentials } from './credentialsSchema.ts';

const FIELD_OF: Partial<Record<AppError['code'], keyof Credentials>> = {
  email_taken: 'email',
  email_invalid: 'email',
  weak_password: 'password',
};

export function authErrorField(error: AppError): keyof Credentials | null {
  return FIELD_OF[error.code] ?? null;
}

/** The words on the field: the title says what is wrong, the message what to do. */
export function fieldMessage(error: AppError): string {
  return `${error.title}. ${error.message}`;
}
