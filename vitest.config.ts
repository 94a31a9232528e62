import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // A guard against hangs, not a time target: some unit tests spawn depcruise or write hundreds of files, and
          // vitest's 5 s default failed them on a loaded 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/helpers/prebuilt-cli-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Real servers and child processes: keep the 2-core CI machine from thrashing.
          fileParallelism: false,
        },
      },
    ],
  },
});
