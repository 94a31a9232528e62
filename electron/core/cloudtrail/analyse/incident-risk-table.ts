import { CLOUD_TABLES, type CloudRiskTables, loadCloudRiskTables } from './cloud-high-risk';
import type { HighRiskRule, HighRiskTable } from './high-risk';
import { loadHighRiskTable } from './high-risk-load';

/**
 * The CloudTrail table with the Azure and GCP rows beside it. An incident's stored calls name their rules by id, so the
 * analysis and the event detail find an Azure or GCP rule the same way as a CloudTrail one. Classifying CloudTrail
 * records is unchanged: the Azure and GCP rows are matched on import by their own tables, never by `classify`.
 */
export function withCloudRules(table: HighRiskTable, cloud: CloudRiskTables): HighRiskTable {
  const extra = cloud.rows.map(
    (r): HighRiskRule => ({
      id: r.id,
      title: r.title,
      condition: '',
      judgment: false,
      source: CLOUD_TABLES[r.cloud],
      eventSource: r.cloud,
      eventNames: r.operations,
      attack: r.attack,
      attackV19: r.attack,
      test: () => true,
    }),
  );
  return { ...table, rules: [...table.rules, ...extra] };
}

/** The table an incident's analysis reads: all three clouds. */
export const loadIncidentRiskTable = (resourcesDir: string): HighRiskTable => withCloudRules(loadHighRiskTable(resourcesDir), loadCloudRiskTables(resourcesDir));
