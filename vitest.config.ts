import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
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
