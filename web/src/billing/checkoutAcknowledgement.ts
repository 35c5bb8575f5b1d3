// Remembers which checkouts the user has already been told about, so reloading (or going back to)
// /billing?checkout=success&session_id=… does not announce the same payment again. localStorage,
// not sessionStorage: the success URL may be reopened in another tab from history.
const KEY = 'billing.acknowledgedCheckouts';
const KEEP = 20;

function read(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return []; // storage blocked or corrupt: at worst the message shows once more
  }
}

export function wasAcknowledged(sessionId: string): boolean {
  return read().includes(sessionId);
}

export function acknowledge(sessionId: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify([sessionId, ...read().filter((id) => id !== sessionId)].slice(0, KEEP)));
  } catch {
    // storage blocked: nothing to remember it in
  }
}
