import { parse } from 'yaml';
import type { Incident } from '../../../shared/domain';
import type { CoreContext } from '../../context';
import { notFound } from '../../errors';
import { IncidentRepository } from '../../incidents/repository';
import { splitIdentities } from '../import/agents';
import { CollectionsRepository } from './collections-repository';

/** Playbook parameters that name the agent's identities: AWS role, user, session, access key; Azure service principal; GCP service account. */
const AGENT_PARAM =
  /^(agent_(role_(name|arn)|username|user_name|user_arn|session_name|source_identity|access_key_ids?|arns?|identit(y|ies)|iam_(user|role)s?)|exposed_access_key_id|azure_agent_(principal|app_id|object_id)s?|gcp_agent_service_accounts?)$/;

/** The agent parameters of Azure and GCP, whose values CloudTrail never holds. */
const OTHER_CLOUD_PARAM = /^(azure|gcp)_/;

export interface IncidentCloudTrail {
  incident: Incident;
  /** The phase findings belong to (Detection & Analysis) and the one an alert reopens (Containment). */
  analysisPhase: string;
  containmentPhase: string;
  /** Identities set for CloudTrail plus those in the incident's parameters, without repeats. */
  identities: string[];
  fromParams: string[];
  /** The identities LookupEvents can look for: all but those of the Azure and GCP agent parameters. */
  awsIdentities: string[];
}

function phasesOf(playbookContent: string | undefined): string[] {
  try {
    const doc = parse(playbookContent ?? '') as { phases?: Array<{ id?: unknown }> } | null;
    return (doc?.phases ?? []).map((p) => String(p.id ?? '')).filter(Boolean);
  } catch {
    return [];
  }
}

export function agentIdentitiesFromParams(params: Record<string, string>): string[] {
  return Object.entries(params)
    .filter(([k, v]) => AGENT_PARAM.test(k) && v.trim())
    .flatMap(([, v]) => splitIdentities(v));
}

export function incidentCloudTrail(ctx: CoreContext, incidentId: string): IncidentCloudTrail {
  const incidents = new IncidentRepository(ctx.db);
  const incident = incidents.get(incidentId);
  if (!incident) throw notFound(`There is no incident ${incidentId} in ${ctx.dataDir}.`);
  const phases = phasesOf(incidents.playbookContent(incidentId));
  const fromParams = agentIdentitiesFromParams(incident.params);
  const otherClouds = new Set(agentIdentitiesFromParams(Object.fromEntries(Object.entries(incident.params).filter(([k]) => OTHER_CLOUD_PARAM.test(k)))));
  const set = new CollectionsRepository(ctx.db).identities(incidentId);
  return {
    incident,
    analysisPhase: phases.find((p) => /detect|analys/i.test(p)) ?? 'detection-analysis',
    containmentPhase: phases.find((p) => /contain/i.test(p)) ?? 'containment',
    identities: [...new Set([...set, ...fromParams])],
    fromParams,
    awsIdentities: [...new Set([...set, ...fromParams])].filter((i) => !otherClouds.has(i)),
  };
}
