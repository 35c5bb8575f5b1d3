// Vite config for the recruiter SPA. Root is web/; run from the repo root with
// `npx vite --config web/vite.config.ts` (dev) or `npx vite build web` (production bundle).
// The Supabase URL and key come from VITE_SUPABASE_URL and VITE_SUPABASE_PUBLISHABLE_KEY (or the
// legacy VITE_SUPABASE_ANON_KEY) in the environment (the start script sets them from .local/stack.env).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const port = Number(process.env.WEB_PORT ?? 5173);

export default defineConfig({
  root,
  plugins: [react()],
  server: { host: '127.0.0.1', port, strictPort: true },
  preview: { host: '127.0.0.1', port, strictPort: true },
  build: { outDir: 'dist', emptyOutDir: true },
});
