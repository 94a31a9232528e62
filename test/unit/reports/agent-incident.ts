import { join } from 'node:path';
import { AGENT_ROLE, AGENT_ROLE_ARN, type CorpusManifest, generateCorpus } from '../../helpers/cloudtrail-corpus';
import { call } from '../../helpers/core';
import { type ReportsIncident, openReportsIncident } from './support';

/** An incident whose parameters name the synthetic corpus's agent role, opened two days after its activity. */
export const openAgentIncident = (): Promise<ReportsIncident> =>
  openReportsIncident('2026-03-12T09:00:00Z', { agent_role_name: AGENT_ROLE, agent_role_arn: AGENT_ROLE_ARN, agent_username: AGENT_ROLE, aws_account_id: '111122223333' });

/** Imports 3,000 synthetic CloudTrail records holding six high-risk calls by the agent (two RDS deletions among them). */
export async function importSixDestructiveCalls(t: ReportsIncident): Promise<CorpusManifest> {
  const corpus = generateCorpus({ dir: join(t.dataDir, 'exports'), records: 3000, recordsPerFile: 1000, agentHighRisk: 6 });
  await call(t.core, 'cloudtrail.import', { incidentId: t.id, paths: corpus.files });
  return corpus;
}
