// Vitest config for the Node test layers that talk to the running stack: API tests (real
// supabase-js against the local API) and the concurrency tests (many real Postgres connections).
// Files run one after another: they share one database and one server. The scheduler test only
// waits (up to a minute) for pg_cron and touches nothing the others read, so its own project runs
// beside them instead of adding that minute to the suite.
import { defineConfig } from 'vitest/config';

const SCHEDULER = 'supabase/tests/reliability/scheduler.test.ts';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['supabase/tests/api/**/*.test.ts', 'supabase/tests/concurrency/**/*.test.ts', 'supabase/tests/reliability/**/*.test.ts'],
          exclude: [SCHEDULER, '**/node_modules/**'],
          fileParallelism: false,
        },
      },
      { extends: true, test: { name: 'scheduler', include: [SCHEDULER] } },
    ],
  },
});
