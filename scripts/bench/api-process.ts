// The local API server as a process of its own for the benchmarks, so clients and server do not
// share one event loop (startApiServer against any database URL; scripts/local-supabase/src/server.ts's CLI
// only reaches the stack's cluster). Run: npx tsx scripts/bench/api-process.ts <port> <dbUrl>
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../lib/config.ts';
import { loadStackEnv } from '../lib/stack-env.ts';
import { startApiServer } from '../local-supabase/src/server.ts';

export interface ApiProcess { url: string; stop(): Promise<void> }

/** Starts the server in a child process and resolves once it answers. */
export async function spawnApiServer(port: number, dbUrl: string): Promise<ApiProcess> {
  const child: ChildProcess = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [fileURLToPath(import.meta.url), String(port), dbUrl],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d; });
  child.stderr?.on('data', (d: Buffer) => { output += d; });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API server did not start within 60 s:\n${output}`)), 60_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`API server exited with ${code}:\n${output}`)); });
    child.stdout?.on('data', () => { if (output.includes('api ready')) { clearTimeout(timer); resolve(); } });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

async function main(): Promise<void> {
  const [port, dbUrl] = process.argv.slice(2);
  const server = await startApiServer({ port: Number(port), dbUrl, env: await loadStackEnv() });
  console.log(`api ready on ${server.url}`);
  const stop = (): void => { server.close().then(() => process.exit(0), () => process.exit(1)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => { console.error(error); process.exit(1); });
}
