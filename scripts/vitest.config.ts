// Tests of the test tooling itself (scripts/lib/**/*.test.ts): real runs of the real runners on the
// tiny projects in scripts/lib/fixtures. Needs Postgres (TEST_DB_URL) for the database checks.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/**/*.test.ts'],
    // The stand-in package runs its own tests (scripts/local-supabase/vitest.config.ts), and
    // scripts/tests/ is the install layer's (scripts/tests/vitest.config.ts): counted once each.
    exclude: ['scripts/local-supabase/**', 'scripts/tests/**', '**/node_modules/**'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
