import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FirebreakError } from '../errors';

/** The data the sample incident is built from, shipped in resources/sample/ with its licences. */
export function sampleFiles(resourcesDir: string): { chinook: string; cloudtrail: string } {
  const root = join(resourcesDir, 'resources', 'sample');
  const files = { chinook: join(root, 'chinook.sqlite'), cloudtrail: join(root, 'cloudtrail') };
  for (const path of Object.values(files)) {
    if (!existsSync(path)) throw new FirebreakError('unavailable', `The sample data is missing from this installation (${path}); reinstall Firebreak.`);
  }
  return files;
}
