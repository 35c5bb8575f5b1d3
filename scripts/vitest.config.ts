// Tests of the test tooling itself (scripts/**/*.test.ts): real runs of the real runners on the
// tiny projects in scripts/lib/fixtures. Needs Postgres (TEST_DB_URL) for the database checks.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/**/*.test.ts'],
    // The stand-in package runs its own tests (scripts/local-supabase/vitest.config.ts).
    exclude: ['scripts/local-supabase/**', '**/node_modules/**'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
