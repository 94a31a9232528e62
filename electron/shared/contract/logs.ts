import * as z from 'zod';
import type { ActivityChartData, CloudScanReport, LogsImportResult, LogsPullResult } from '../cloudlogs';
import { serviceEndpoint } from './cloudtrail';
import { incidentId, method, operationId as operationIdText, text } from './define';

const path = text('Path', 4096);
const identity = z.string().trim().min(1, 'an agent identity is an ARN, an app id, a service account email or a name').max(2048);

/** Azure subscription ids are GUIDs; GCP project ids are 6-30 lower-case letters, digits and hyphens (domain-scoped: `example.com:proj`). */
const subscription = z.string().trim().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'an Azure subscription id is a GUID');
const project = z.string().trim().regex(/^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a GCP project id is 6-30 lower-case letters, digits and hyphens');
const resourceGroup = z.string().trim().regex(/^[-\w._()]{1,90}$/u, 'a resource group name is 1-90 letters, digits, -, _, ., ( or )');
const caller = z.string().trim().min(1).max(320);
const isoTime = z.string().trim().max(40);

/** Cloud audit logs of any of the three clouds, the source detected per file. */
export const logsContract = {
  /** Stateless analysis of CloudTrail, Azure Activity Log and GCP Cloud Audit Logs files (`firebreak logs scan`). */
  'logs.scan': method<CloudScanReport, string>().query(
    () => z.object({ paths: z.array(path).min(1, 'give at least one path').max(10_000), agents: z.array(identity).max(100).default([]), operationId: operationIdText.optional() }).strict(),
    { long: true },
  ),
  /** CloudTrail, Azure and GCP files into an incident (`firebreak logs import`): evidence, stored calls, findings. */
  'logs.import': method<LogsImportResult, string>().mutation(
    () => z.object({ incidentId, paths: z.array(path).min(1, 'give at least one path').max(100_000), operationId: operationIdText.optional() }).strict(),
    { long: true },
  ),
  /**
   * Azure Monitor activity log (ActivityLogs.list) or Cloud Logging audit entries (entries.list) into an incident
   * (`firebreak logs pull`): each page evidence, its calls stored as `logs import` stores them; resumes an interrupted pull.
   */
  'logs.pull': method<LogsPullResult, string>().mutation(
    () => z
      .object({
        incidentId,
        cloud: z.enum(['azure', 'gcp'], { error: 'cloud is azure or gcp (CloudTrail is pulled by cloudtrail pull)' }),
        subscription: subscription.optional(),
        project: project.optional(),
        resourceGroup: resourceGroup.optional(),
        caller: caller.optional(),
        start: isoTime.optional(),
        end: isoTime.optional(),
        endpoint: serviceEndpoint.optional(),
        operationId: operationIdText.optional(),
      })
      .strict()
      .refine((i) => i.cloud === 'azure' || i.subscription === undefined, { message: '--subscription is for --cloud azure; GCP reads a --project', path: ['subscription'] })
      .refine((i) => i.cloud === 'gcp' || i.project === undefined, { message: '--project is for --cloud gcp; Azure reads a --subscription', path: ['project'] })
      .refine((i) => i.cloud === 'azure' || i.resourceGroup === undefined, { message: '--resource-group is an Azure filter', path: ['resourceGroup'] }),
    { long: true },
  ),
  /** Calls per second of each identity over time, all clouds on one axis (or one cloud), for the activity chart. */
  'logs.activity': method<ActivityChartData>().query(() => z.object({ incidentId, cloud: z.enum(['aws', 'azure', 'gcp']).optional() }).strict()),
};
