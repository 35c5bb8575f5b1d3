// Browser tests: Vitest in Node driving Debian's Chromium through playwright-core, against a
// running stack (SPA at WEB_URL, API at API_URL). Run from the repo root:
//   WEB_URL=http://127.0.0.1:5173 API_URL=http://127.0.0.1:54321 npx vitest run --config web/e2e/vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['**/*.test.ts'],
    environment: 'node',
    // One browser at a time: two cores, and the files share one stack.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
