import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Native addons (better-sqlite3, onnxruntime, hnswlib) are safest in child processes.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The parsed-dictionary cache is ./.cache (built by `npm run setup`), shared by all test files.
    env: { LOG_LEVEL: 'warn' },
  },
});
