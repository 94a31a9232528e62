import type { CloudEvent } from '../model/cloud-event';

/**
 * The Azure and GCP high-risk tables once validated (cloud-high-risk.ts reads and checks them): plain data, so that
 * scan workers build their own matcher without loading the schema library.
 */
export interface CloudTablesData {
  azure: { rows: Array<{ id: string; title: string; operations: string[]; attack: string[] }> };
  gcp: { rows: Array<{ id: string; title: string; methods: string[]; attack: string[] }> };
}

export interface CloudRule {
  id: string;
  title: string;
  attack: string[];
}

/** Azure operations and GCP methods that are high-risk, as data: the rules a CloudEvent matches. */
export class CloudRiskTables {
  private readonly azure = new Map<string, CloudRule[]>();
  private readonly gcp = new Map<string, CloudRule[]>();
  private readonly seenAzure = new Map<string, CloudRule[]>();
  private readonly seenGcp = new Map<string, CloudRule[]>();
  /** Every row of both tables, with the operations or methods it names (what an incident's stored calls refer to by id). */
  readonly rows: Array<CloudRule & { cloud: 'azure' | 'gcp'; operations: string[] }>;

  constructor({ azure, gcp }: CloudTablesData) {
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
    return this.matchOperation(e.cloud, e.operation, e.activity);
  }

  /** match() of an event of that cloud, operation and activity (all it reads of the event). */
  matchOperation(cloud: CloudEvent['cloud'], operation: string, activity: CloudEvent['activity']): CloudRule[] {
    if (activity === 'read') return [];
    // The same few operations recur on every record: each is looked up once.
    const seen = cloud === 'azure' ? this.seenAzure : cloud === 'gcp' ? this.seenGcp : null;
    if (!seen) return [];
    let rules = seen.get(operation);
    if (!rules) {
      rules = this.lookup(cloud, operation);
      if (seen.size >= 4096) seen.clear();
      seen.set(operation, rules);
    }
    return rules;
  }

  private lookup(cloud: CloudEvent['cloud'], operation: string): CloudRule[] {
    const op = operation.toLowerCase();
    if (cloud === 'azure') return this.azure.get(op) ?? [];
    if (cloud !== 'gcp') return [];
    const direct = this.gcp.get(op);
    if (direct) return direct;
    for (let i = op.indexOf('.'); i >= 0; i = op.indexOf('.', i + 1)) {
      const hit = this.gcp.get(op.slice(i + 1));
      if (hit) return hit;
    }
    return [];
  }
}
