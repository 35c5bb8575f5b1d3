// Set-up step (scripts/bootstrap.sh runs it before `npm start`, `npm test` and the other stack
// commands): fetches the Edge Functions' npm dependencies into Deno's cache, exactly as locked in
// supabase/functions/deno.lock, so the function host never downloads while serving a request.
// Run by hand: npx tsx scripts/fetch-function-deps.ts   (exits 1 naming the cause when it cannot)
import path from 'node:path';
import { ROOT } from './lib/config.ts';
import { fetchFunctionDependencies, FunctionDepsError } from './local-supabase/src/functions/function-deps.ts';

const started = performance.now();
try {
  await fetchFunctionDependencies(path.join(ROOT, 'supabase/functions'));
  console.log(`[setup] Edge Function dependencies cached in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`[setup] ${error instanceof FunctionDepsError ? error.message : String(error)}`);
  process.exit(1);
}
