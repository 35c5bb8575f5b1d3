// The e-mail shape GoTrue accepts, checked before any query uses an address.
// No whitespace and no control characters (a NUL cannot even be stored in Postgres text).
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export function isEmailShaped(email: string): boolean {
  return EMAIL.test(email) && email.length <= 255;
}
