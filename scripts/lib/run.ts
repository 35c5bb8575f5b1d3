// Runs a child process and resolves with its output; rejects with the output when it fails.
import { spawn, type SpawnOptions } from 'node:child_process';

export interface RunResult { code: number; stdout: string; stderr: string }

export function run(cmd: string, args: string[], options: SpawnOptions & { check?: boolean; echo?: boolean } = {}): Promise<RunResult> {
  const { check = true, echo = false, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => { stdout += d; if (echo) process.stdout.write(d); });
    child.stderr?.on('data', (d: Buffer) => { stderr += d; if (echo) process.stderr.write(d); });
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code: code ?? 1, stdout, stderr };
      if (check && result.code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${result.code}\n${stdout}\n${stderr}`));
      } else {
        resolve(result);
      }
    });
  });
}

/** Runs a command as the `postgres` OS user when we are root (Postgres refuses to run as root). */
export function runAsPostgres(cmd: string, args: string[], options: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  if (process.getuid?.() === 0) {
    return run('runuser', ['-u', 'postgres', '--', cmd, ...args], options);
  }
  return run(cmd, args, options);
}
