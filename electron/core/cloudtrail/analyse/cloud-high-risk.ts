import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { FirebreakError } from '../../errors';
import { CloudRiskTables, type CloudTablesData } from './cloud-risk-tables';

export { type CloudRule, CloudRiskTables } from './cloud-risk-tables';

/** Where the reviewed Azure and GCP tables live under the app's resources directory. */
export const CLOUD_TABLES = { azure: join('resources', 'cloudlogs', 'high-risk-azure.json'), gcp: join('resources', 'cloudlogs', 'high-risk-gcp.json') } as const;

const attack = z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/)).min(1);
const leftOut = z.array(z.object({ sigma: z.string(), why: z.string().min(1) }).strict());
const azureTable = z
  .object({
    _about: z.string(),
    cloud: z.literal('azure'),
    rows: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), title: z.string().min(1), operations: z.array(z.string().regex(/^Microsoft\.[A-Za-z]+\//)).min(1), attack, sigma: z.array(z.string()) }).strict()),
    leftOut,
  })
  .strict();
const gcpTable = z
  .object({
    _about: z.string(),
    cloud: z.literal('gcp'),
    rows: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), title: z.string().min(1), methods: z.array(z.string().min(1)).min(1), attack, sigma: z.array(z.string()) }).strict()),
    leftOut,
  })
  .strict();

function load<T>(resourcesDir: string, rel: string, schema: z.ZodType<T>): T {
  const file = join(resourcesDir, rel);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FirebreakError('internal', `The high-risk table ${file} cannot be read: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new FirebreakError('internal', `The high-risk table ${file} is not valid.`, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}

/** Both tables, validated: plain data that can be handed to worker threads. */
export const readCloudRiskTables = (resourcesDir: string): CloudTablesData => ({
  azure: load(resourcesDir, CLOUD_TABLES.azure, azureTable),
  gcp: load(resourcesDir, CLOUD_TABLES.gcp, gcpTable),
});

export const loadCloudRiskTables = (resourcesDir: string): CloudRiskTables => new CloudRiskTables(readCloudRiskTables(resourcesDir));
