import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FirebreakError } from '../../errors';
import type { CloudEvent } from '../model/cloud-event';

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

export interface CloudRule {
  id: string;
  title: string;
  attack: string[];
}

/** Azure operations and GCP methods that are high-risk, as data: the rules a CloudEvent matches. */
export class CloudRiskTables {
  private readonly azure = new Map<string, CloudRule[]>();
  private readonly gcp = new Map<string, CloudRule[]>();
  /** Every row of both tables, with the operations or methods it names (what an incident's stored calls refer to by id). */
  readonly rows: Array<CloudRule & { cloud: 'azure' | 'gcp'; operations: string[] }>;

  constructor(azure: z.infer<typeof azureTable>, gcp: z.infer<typeof gcpTable>) {
    for (const r of azure.rows) for (const op of r.operations) this.add(this.azure, op.toLowerCase(), r);
    for (const r of gcp.rows) for (const m of r.methods) this.add(this.gcp, m.toLowerCase(), r);
    this.rows = [
      ...azure.rows.map((r) => ({ cloud: 'azure' as const, id: r.id, title: r.title, attack: r.attack, operations: r.operations })),
      ...gcp.rows.map((r) => ({ cloud: 'gcp' as const, id: r.id, title: r.title, attack: r.attack, operations: r.methods })),
    ];
  }

  private add(map: Map<string, CloudRule[]>, key: string, r: CloudRule): void {
    map.set(key, [...(map.get(key) ?? []), { id: r.id, title: r.title, attack: r.attack }]);
  }

  /**
   * The rules an Azure or GCP event matches. Azure: the whole operationName, any case. GCP: the methodName or its
   * last parts (versioned prefixes such as v1., beta. and google.iam.admin.v1. vary by API surface).
   */
  match(e: CloudEvent): CloudRule[] {
    if (e.activity === 'read') return [];
    const op = e.operation.toLowerCase();
    if (e.cloud === 'azure') return this.azure.get(op) ?? [];
    if (e.cloud !== 'gcp') return [];
    const direct = this.gcp.get(op);
    if (direct) return direct;
    for (let i = op.indexOf('.'); i >= 0; i = op.indexOf('.', i + 1)) {
      const hit = this.gcp.get(op.slice(i + 1));
      if (hit) return hit;
    }
    return [];
  }
}

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

export const loadCloudRiskTables = (resourcesDir: string): CloudRiskTables =>
  new CloudRiskTables(load(resourcesDir, CLOUD_TABLES.azure, azureTable), load(resourcesDir, CLOUD_TABLES.gcp, gcpTable));
