// Where to go after signing in: back to the page the guard sent us away from, else the dashboard.
export function redirectTarget(state: unknown): string {
  if (typeof state === 'object' && state !== null) {
    const from = (state as { from?: unknown }).from;
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) return from;
  }
  return '/';
}
