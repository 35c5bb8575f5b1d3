// Vite config for the recruiter SPA. Root is web/; driven by `npm run dev` (scripts/start.ts),
// `npm run build` (scripts/build.ts) and `npm run preview` (scripts/preview.ts).
// The Supabase URL and key come from VITE_SUPABASE_URL and VITE_SUPABASE_PUBLISHABLE_KEY (or the legacy
// VITE_SUPABASE_ANON_KEY): `npm run dev` sets them from .local/stack.env, `npm run build` too unless they are set.
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
