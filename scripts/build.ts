// Production build of the SPA into web/dist: `npm run build`.
// Hosted deploy: VITE_SUPABASE_URL=https://<ref>.supabase.co VITE_SUPABASE_ANON_KEY=<anon key> npm run build.
// Without them the bundle talks to the local stack (the API URL and the anon key of .local/stack.env,
// the same ones `npm start` uses); the stack need not be running to build.
import path from 'node:path';
import { API_URL, ROOT } from './lib/config.ts';
import { loadStackEnv } from './lib/stack-env.ts';
import { spaBuildEnv } from './lib/spa-env.ts';
import { run } from './lib/run.ts';
import { VITE } from './lib/services.ts';

async function main(): Promise<void> {
  const target = await spaBuildEnv(process.env, async () => ({ url: API_URL, anonKey: (await loadStackEnv()).ANON_KEY }));
  console.log(`building web/dist for ${target.VITE_SUPABASE_URL} (${target.source})`);
  await run(VITE, ['build', '--config', 'web/vite.config.ts', ...process.argv.slice(2)], { cwd: ROOT, echo: true, env: {
    ...process.env, VITE_SUPABASE_URL: target.VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY: target.VITE_SUPABASE_ANON_KEY } });
  console.log(`built ${path.relative(process.cwd(), path.join(ROOT, 'web/dist')) || '.'}; serve it with \`npm run preview\``);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
