import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { serve, type ServedApp } from './serve';

export { repoRoot, type ServedApp } from './serve';

export const test = base.extend<{ app: ServedApp }>({
  // Each test gets its own data directory and its own server.
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-e2e-'));
    const app = await serve(dataDir);
    await use(app);
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
