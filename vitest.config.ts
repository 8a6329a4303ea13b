import { defineConfig } from 'vitest/config';

const inCI = !!process.env.CI && !/^(0|false)$/i.test(process.env.CI);

export default defineConfig({
  test: {
    // Ink renders only a final frame when CI is set, which would blank every component test.
    // The tests still know they run in CI through CLAW_TEST_CI (missing validators then fail, not skip).
    env: { CI: 'false', CLAW_TEST_CI: inCI ? '1' : '0' },
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx', 'steps/**/*.test.ts', 'templates/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30000,
    // Cleanup hooks (temp dirs of the real validators) must not fail a passing run on a loaded machine.
    hookTimeout: 60000,
    // Vitest's default is one worker per core minus one: a single worker on the 2-core machine, so files
    // ran one by one although most of their time is waiting (the wizard tests on Ink's frames, the
    // validator files on child processes; test/ui/alert-test.test.tsx is ~24 s wall for ~6 s of CPU).
    // Four side by side keep both cores busy; each file's waits are bounded by its own timeouts, not
    // by an idle machine. CLAW_TEST_WORKERS overrides (1 for a calm, serial run).
    maxWorkers: Number(process.env.CLAW_TEST_WORKERS) || 4,
  },
});
