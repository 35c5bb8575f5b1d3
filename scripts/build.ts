// Production build of the SPA into web/dist: `npm run build`.
// Hosted deploy: VITE_SUPABASE_URL=https://<ref>.supabase.co VITE_SUPABASE_PUBLISHABLE_KEY=<publishable key> npm run build
// (or the legacy VITE_SUPABASE_ANON_KEY). Without them the bundle talks to the local stack (the API URL and the
// publishable key of .local/stack.env,
// the same ones `npm start` uses); the stack need not be running to build.
import path from 'node:path';
import { API_URL, ROOT } from './lib/config.ts';
import { loadStackEnv } from './lib/stack-env.ts';
import { spaBuildEnv, viteEnv } from './lib/spa-env.ts';
import { run } from './lib/run.ts';
import { VITE } from './lib/services.ts';

async function main(): Promise<void> {
  const target = await spaBuildEnv(process.env, async () => ({ url: API_URL, publishableKey: (await loadStackEnv()).PUBLISHABLE_KEY }));
  console.log(`building web/dist for ${target.VITE_SUPABASE_URL} with ${target.keyVar} (${target.source})`);
  await run(VITE, ['build', '--config', 'web/vite.config.ts', ...process.argv.slice(2)], { cwd: ROOT, echo: true, env: {
    ...process.env, ...viteEnv(target) } });
  console.log(`built ${path.relative(process.cwd(), path.join(ROOT, 'web/dist')) || '.'}; serve it with \`npm run preview\``);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
