// The stand-in's own tests: real supabase-js and raw sockets against the running local API
// (API_URL) or against servers the tests start themselves on free ports, and a pg pool on
// TEST_DB_URL. Files run one after another: they share one database and one server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
