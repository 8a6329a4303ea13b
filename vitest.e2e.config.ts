import { defineConfig } from 'vitest/config';

/**
 * Real-server tests: boot throwaway Debian hosts (needs root). Two files at a time: most of a
 * file's wall time is spent waiting on servers (boots, image imports, the gateway's start-up,
 * dead-man windows), and the harness allocates hosts, images and the CLI copy under locks, so
 * two run side by side on a 2-core machine (the suite's 19 files took over an hour one at a
 * time). `npx vitest run --config vitest.e2e.config.ts --maxWorkers 1` runs them one by one.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 600000,
    hookTimeout: 900000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
