// Starts the long-running services of the local stack as child processes and waits until they
// answer: the API server (54321) and the SPA (5173). Used by `npm start` and `npm test`.
// With `restart`, a service that dies after it came up is started again (after printing why),
// with a doubling delay so a crash loop does not spin.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT, LOCAL_DIR } from './config.ts';

export interface Service {
  name: string;
  /** The current process (a new one after each restart). */
  readonly child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** Delay before the first restart (default 1 s); doubles per crash up to maxDelayMs. */
  firstDelayMs?: number;
  /** Longest delay between restarts (default 30 s). */
  maxDelayMs?: number;
  /** A process that ran this long resets the delay to firstDelayMs (default 60 s). */
  stableAfterMs?: number;
}

const STDERR_LINES_KEPT = 20;

export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitForHttp(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`exited with ${child.exitCode} before answering ${url}; log: ${logFile}\n${tail(logFile)}`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs / 1000} s; log: ${logFile}\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

/** Spawns `cmd args`, logs to .local/logs/<name>.log (and the terminal when `echo`), waits for `readyUrl`. */
export async function startService(name: string, cmd: string, args: string[], readyUrl: string,
  options: { env?: NodeJS.ProcessEnv; echo?: boolean; timeoutMs?: number; restart?: RestartPolicy | boolean } = {}): Promise<Service> {
  const logDir = path.join(LOCAL_DIR, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.createWriteStream(logFile);
  const policy = options.restart === true ? {} : options.restart || undefined;
  const firstDelayMs = policy?.firstDelayMs ?? 1000;
  let delayMs = firstDelayMs;
  let supervising = false;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let stderrLines: string[] = [];

  const spawnChild = (): ChildProcess => {
    const spawned = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const startedAt = Date.now();
    for (const stream of [spawned.stdout, spawned.stderr]) {
      stream?.on('data', (d: Buffer) => {
        log.write(d);
        if (options.echo) process.stdout.write(`[${name}] ${d}`);
        if (stream === spawned.stderr) stderrLines = [...stderrLines, ...d.toString('utf8').split('\n').filter((l) => l.trim() !== '')].slice(-STDERR_LINES_KEPT);
      });
    }
    spawned.once('exit', (code, signal) => {
      if (!supervising || stopping || spawned !== child || !policy) return;
      killGroup(spawned, 'SIGKILL'); // whatever it left behind would hold the port
      if (Date.now() - startedAt >= (policy.stableAfterMs ?? 60_000)) delayMs = firstDelayMs;
      const wait = delayMs;
      delayMs = Math.min(delayMs * 2, policy.maxDelayMs ?? 30_000);
      // Let the pipes drain so the last stderr lines are in the report.
      setTimeout(() => {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        console.error(`[${name}] exited unexpectedly (${why}); restarting in ${wait} ms. Last stderr lines:\n${
          stderrLines.map((l) => `[${name}]   ${l}`).join('\n') || `[${name}]   (none)`}`);
        stderrLines = [];
        restartTimer = setTimeout(() => { if (!stopping) child = spawnChild(); }, wait);
      }, 100);
    });
    return spawned;
  };

  let child = spawnChild();
  const stop = async (): Promise<void> => {
    stopping = true;
    clearTimeout(restartTimer);
    const current = child;
    if (current.exitCode !== null || current.signalCode !== null || current.pid === undefined) return;
    const exited = new Promise((r) => current.once('exit', r));
    killGroup(current, 'SIGTERM');
    const timer = setTimeout(() => killGroup(current, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(readyUrl, child, logFile, options.timeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
  }
  // Only a service that came up is restarted: one that cannot start fails fast, as before.
  supervising = true;
  return { name, get child() { return child; }, logFile, stop };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try { process.kill(-child.pid!, signal); } catch { /* already gone */ }
}

export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
export const VITE = path.join(ROOT, 'node_modules/.bin/vite');
