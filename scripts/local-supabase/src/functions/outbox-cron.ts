// The local stand-in for the hosted jobs that drive the outboxes: hosted, pg_cron calls a function
// through pg_net every minute with the project's secret key (supabase/README.md, "E-mail outbox"
// for send-email, "Auto top-up" for auto-topup); locally the API server does the same every few
// seconds (--outbox-cron-ms / --topup-cron-ms, default 2000; 0 turns it off, as `npm test` does so
// its tests drive the functions by hand). One call at a time: the next is scheduled when the
// previous answered. A failing answer is printed once until it changes, not every tick.

export interface OutboxCron {
  /** Stops scheduling and waits for a call in flight. */
  stop(): Promise<void>;
}

export interface OutboxCronOptions {
  /** The function's URL on this server. */
  url: string;
  /** How the log names the job and the function (default: outbox, send-email). */
  label?: { job: string; fn: string; stays: string };
  /** The secret key (what the hosted job sends). */
  key: string;
  intervalMs: number;
  log?: (line: string) => void;
}

const TIMEOUT_MS = 60_000;

export function startOutboxCron(options: OutboxCronOptions): OutboxCron {
  const log = options.log ?? ((line: string) => console.log(line));
  const label = options.label ?? { job: 'outbox', fn: 'send-email', stays: 'the mails stay queued' };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let lastProblem: string | null = null;

  async function tick(): Promise<void> {
    let problem: string | null = null;
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${options.key}`, 'Content-Type': 'application/json' },
        body: '{}',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await response.text();
      if (!response.ok) problem = `${label.fn} answered ${response.status}: ${text.slice(0, 300)}`;
    } catch (error) {
      problem = `could not call ${label.fn}: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (problem !== lastProblem) {
      if (problem) log(`[${label.job}] ${problem} (${label.stays}; retrying every ${options.intervalMs} ms)`);
      else if (lastProblem) log(`[${label.job}] ${label.fn} works again`);
      lastProblem = problem;
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = tick().finally(() => {
        inFlight = undefined;
        schedule();
      });
    }, options.intervalMs);
  }

  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
