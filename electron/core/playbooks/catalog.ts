import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ControlCatalog, parseOscalCatalog } from '../../shared/playbook/catalog';
import { FirebreakError } from '../errors';

/** The catalog file the app ships, relative to its resources directory. */
export const CATALOG_FILE = join('resources', 'nist', 'sp800-53r5-ir-subset.catalog.json');

const cache = new Map<string, ControlCatalog>();

/** Loads (once per path) the SP 800-53 catalog shipped under resourcesDir; a missing catalog is a broken install. */
export function loadControlCatalog(resourcesDir: string): ControlCatalog {
  const path = join(resourcesDir, CATALOG_FILE);
  const cached = cache.get(path);
  if (cached) return cached;
  let catalog: ControlCatalog;
  try {
    catalog = parseOscalCatalog(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    throw new FirebreakError(
      'unavailable',
      `The SP 800-53 catalog at ${path} cannot be read (${(e as Error).message}); reinstall Firebreak.`,
    );
  }
  cache.set(path, catalog);
  return catalog;
}
