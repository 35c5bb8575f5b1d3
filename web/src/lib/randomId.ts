// A random id from the browser's CSPRNG. crypto.randomUUID exists only in secure contexts
// (https, localhost); getRandomValues works everywhere, e.g. when a phone opens the dev server by IP.
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
