// A link's token is GoTrue's sha224(email + 6-digit code): one in a million per address, so the
// verify endpoint must not answer guesses without end. GoTrue limits `token_verifications` per IP
// (config.toml `[auth.rate_limit]`, per 5 minutes). This stand-in counts only FAILED checks: test
// suites confirm hundreds of users from 127.0.0.1, which counting every check would refuse, while
// a guesser fails on almost every try and is stopped after `limit` of them.
const WINDOW_MS = 5 * 60_000;

export class FailedVerifications {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs = WINDOW_MS) {}

  private recent(ip: string, now: number): number[] {
    const kept = (this.failures.get(ip) ?? []).filter((at) => now - at < this.windowMs);
    if (kept.length === 0) this.failures.delete(ip); else this.failures.set(ip, kept);
    return kept;
  }

  /** True when `ip` has used up its failed checks for the window. */
  blocked(ip: string, now = Date.now()): boolean {
    return this.recent(ip, now).length >= this.limit;
  }

  record(ip: string, now = Date.now()): void {
    this.failures.set(ip, [...this.recent(ip, now), now]);
  }
}
