// Reads supabase/functions/.env (KEY=VALUE lines, # comments, optional quotes) like the CLI does.
import fs from 'node:fs';

export function readEnvFile(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trim().startsWith('#')) continue;
    out[match[1]] = match[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}
