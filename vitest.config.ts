import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Native addons (better-sqlite3, onnxruntime, hnswlib) are safest in child processes.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Share the parsed-dictionary cache between test files.
    env: { CACHE_DIR: `${process.env.TMPDIR ?? '/tmp'}/dossier-test-cache`, LOG_LEVEL: 'warn' },
  },
});
