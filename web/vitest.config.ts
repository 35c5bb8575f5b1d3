// Unit tests of the SPA: jsdom + Testing Library. Tests that need the stack use the real
// supabase-js against the local API at API_URL (default http://127.0.0.1:54321) with keys from
// .local/stack.env. Run from the repo root: `npx vitest run --config web/vitest.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'jsdom',
    // Files share one API server and Postgres; running them one at a time keeps timings honest.
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
