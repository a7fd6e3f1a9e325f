import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    globalSetup: ['./test/helpers/global-setup.ts'],
    pool: 'forks',
    // Each worker loads the app once and runs its files one after another: every file opens its own
    // database and app, and no test replaces a module, so nothing is shared that a file could change.
    // Loading the app for every file took more time than many files' tests: 460 s of CI's 30 minutes.
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
