import { defineConfig } from 'vitest/config';

/** Real-server tests: boot throwaway Debian 12 hosts (needs root). Run one file at a time. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 600000,
    hookTimeout: 900000,
    fileParallelism: false,
  },
});
