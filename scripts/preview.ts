// Serves the production build (web/dist) as a static host would: `npm run preview`, after `npm run build`.
// Listens on 127.0.0.1:5173 (STACK_WEB_PORT moves it), the port the local stack's CORS and SITE_URL expect.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, WEB_PORT, WEB_URL } from './lib/config.ts';
import { VITE } from './lib/services.ts';

if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) {
  console.error('web/dist has no build: run `npm run build` first');
  process.exit(1);
}
console.log(`serving web/dist on ${WEB_URL}; Ctrl-C stops it`);
const child = spawn(VITE, ['preview', '--config', 'web/vite.config.ts', '--port', String(WEB_PORT), '--strictPort', '--host', '127.0.0.1'],
  { cwd: ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
