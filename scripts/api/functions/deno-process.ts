// The one Deno process that runs the Edge Functions (deno-host.ts): started on first use,
// restarted if it dies, stopped with the server.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../../lib/config.ts';

const HOST_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'deno-host.ts');
const DENO = path.join(ROOT, 'node_modules/.bin/deno');
const START_TIMEOUT_MS = 60_000;

export class DenoHost {
  private child: ChildProcess | undefined;
  private ready: Promise<number> | undefined;

  constructor(private readonly functionsDir: string, private readonly env: Record<string, string>) {}

  /** The port the host listens on, starting it when needed. */
  port(): Promise<number> {
    this.ready ??= this.start().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private start(): Promise<number> {
    const config = path.join(this.functionsDir, 'deno.json');
    const args = ['run', '-A', '--no-prompt', ...(fs.existsSync(config) ? ['--config', config] : ['--no-config']), HOST_FILE, this.functionsDir];
    const child = spawn(DENO, args, {
      cwd: this.functionsDir,
      env: { ...process.env, ...this.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[functions] ${d}`));
    return new Promise<number>((resolve, reject) => {
      let buffered = '';
      let listening = false;
      const timer = setTimeout(() => reject(new Error('the Deno functions host did not start within 60 s')), START_TIMEOUT_MS);
      child.stdout?.on('data', (d: Buffer) => {
        if (listening) { process.stdout.write(`[functions] ${d}`); return; }
        buffered += d.toString();
        const line = buffered.split('\n').find((l) => l.startsWith('{"port"'));
        if (line) {
          listening = true;
          clearTimeout(timer);
          resolve((JSON.parse(line) as { port: number }).port);
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
