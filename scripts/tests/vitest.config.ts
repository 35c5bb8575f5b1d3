// Vitest config for the checks of the repository itself (install, dependencies, scripts): no stack needed.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
