import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    // A guard against hangs, not a speed check: the longest walk (22 pages, each checked by axe)
    // takes about 27 s on a quiet 2-core machine and took over 60 s on a busy one.
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
