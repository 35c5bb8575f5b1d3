// The one Deno process that runs the Edge Functions (deno-host.ts): started on first use,
// restarted if it dies, stopped with the server. It runs --cached-only: the set-up fetched every
// dependency (function-deps.ts), so no request ever waits for (or fails on) a download.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DENO, HOST_FILE } from './function-deps.ts';
import { hostEnvironment } from './host-env.ts';

const START_TIMEOUT_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/** Each function's boot at the host's start: null, or why it failed (see deno-host.ts). */
export type BootReport = Record<string, string | null>;

interface Started { port: number; boot: BootReport }

export class DenoHost {
  private child: ChildProcess | undefined;
  private ready: Promise<Started> | undefined;

  private watcher: fs.FSWatcher | undefined;
  private restartTimer: NodeJS.Timeout | undefined;

  /**
   * With `watch`, a change under the functions folder stops the host; the next request starts a
   * fresh one (Deno's own --watch would keep an orphaned host alive, see deno-host.ts).
   */
  constructor(private readonly functionsDir: string, private readonly env: Record<string, string>, watch = false) {
    if (!watch) return;
    this.watcher = fs.watch(functionsDir, { recursive: true }, (_event, file) => {
      // Deno itself writes deno.lock; restarting on that would loop.
      if (!file || path.basename(file) === 'deno.lock' || file.split(path.sep).some((part) => part.startsWith('.'))) return;
      clearTimeout(this.restartTimer);
      this.restartTimer = setTimeout(() => {
        if (this.child) process.stdout.write('[functions] files changed: restarting the Deno host\n');
        void this.stopChild();
      }, 150);
    });
  }

  /** The port the host listens on, starting it when needed. */
  async port(): Promise<number> {
    return (await this.started()).port;
  }

  /** Starts the host if needed: how each function booted when it started. */
  async boot(): Promise<BootReport> {
    return (await this.started()).boot;
  }

  private started(): Promise<Started> {
    this.ready ??= this.start().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async start(): Promise<Started> {
    const config = path.join(this.functionsDir, 'deno.json');
    const port = await freePort();
    const args = ['run', '-A', '--no-prompt', '--cached-only', '--frozen',
      ...(fs.existsSync(config) ? ['--config', config] : ['--no-config']),
      HOST_FILE, this.functionsDir, String(port)];
    const child = spawn(DENO, args, {
      cwd: this.functionsDir,
      env: hostEnvironment(process.env, this.env),
      // stdin stays open as a lifeline: the host exits when it closes (see deno-host.ts).
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[functions] ${d}`));
    return new Promise<Started>((resolve, reject) => {
      let buffered = '';
      let listening = false;
      const timer = setTimeout(() => reject(new Error('the Deno functions host did not start within 60 s')), START_TIMEOUT_MS);
      child.stdout?.on('data', (d: Buffer) => {
        if (listening) { process.stdout.write(`[functions] ${d}`); return; }
        buffered += d.toString();
        // Only whole lines: the boot report can be long enough to arrive in several chunks.
        const line = buffered.split('\n').slice(0, -1).find((l) => l.startsWith('{"port"'));
        if (line) {
          listening = true;
          clearTimeout(timer);
          const started = JSON.parse(line) as Partial<Started> & { port: number };
          resolve({ port: started.port, boot: started.boot ?? {} });
        }
      });
      child.once('error', (error) => { clearTimeout(timer); reject(error); });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (this.child === child) { this.child = undefined; this.ready = undefined; }
        if (!listening) reject(new Error(`the Deno functions host exited with code ${code} before listening`));
      });
    });
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    clearTimeout(this.restartTimer);
    await this.stopChild();
  }

  private async stopChild(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); }, 3000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    });
  }
}
