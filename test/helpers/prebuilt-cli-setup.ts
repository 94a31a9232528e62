// Vitest global setup of the integration project: tests that spawn bin/firebreak.js run the prebuilt CLI as users do,
// so dist/cli/ is rebuilt first when a source changed since the last build (a fraction of a second).
import { ensureCliBuilt } from '../../scripts/build-cli';

export default async function setup(): Promise<void> {
  await ensureCliBuilt();
}
