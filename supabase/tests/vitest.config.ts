// Vitest config for the Node test layers that talk to the running stack: API tests (real
// supabase-js against the local API) and the concurrency tests (many real Postgres connections).
// Files run one after another: they share one database and one server.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['supabase/tests/api/**/*.test.ts', 'supabase/tests/concurrency/**/*.test.ts', 'supabase/tests/reliability/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
