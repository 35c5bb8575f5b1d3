// Unit tests of the SPA: jsdom + Testing Library. Tests that need the stack use the real
// supabase-js against the local API at API_URL (default http://127.0.0.1:54321) with keys from
// .local/stack.env. Run from the repo root: `npx vitest run --config web/vitest.config.ts`.
//
// Components (*.test.tsx) run in jsdom. Plain logic (*.test.ts) runs in Node: loading jsdom costs
// about 2 s per test file (each file gets a fresh worker), which was most of this layer's time.
// A *.test.ts that needs the browser's globals (window, sessionStorage, supabase-js keeping its
// session in localStorage) says so in its first line: `// @vitest-environment jsdom`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  test: {
    // Files share one API server and Postgres; running them one at a time keeps timings honest.
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'components', include: ['src/**/*.test.tsx'], environment: 'jsdom' } },
      { extends: true, test: { name: 'logic', include: ['src/**/*.test.ts'], environment: 'node' } },
    ],
  },
});
