// Starts the long-running services of the local stack as child processes and waits until they
// answer: the API server (54321) and the SPA (5173). Used by `npm start` and `npm test`.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT, LOCAL_DIR } from './config.ts';

export interface Service { name: string; child: ChildProcess; logFile: string; stop(): Promise<void> }

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
  options: { env?: NodeJS.ProcessEnv; echo?: boolean; timeoutMs?: number } = {}): Promise<Service> {
  const logDir = path.join(LOCAL_DIR, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.createWriteStream(logFile);
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (d: Buffer) => {
      log.write(d);
      if (options.echo) process.stdout.write(`[${name}] ${d}`);
    });
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(readyUrl, child, logFile, options.timeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  return { name, child, logFile, stop };
}

export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
export const VITE = path.join(ROOT, 'node_modules/.bin/vite');
