import { z } from 'zod';
import type { ActivityChartData, CloudScanReport, LogsImportResult } from '../cloudlogs';
import { incidentId, method, operationId as operationIdText, text } from './define';

const path = text('Path', 4096);
const identity = z.string().trim().min(1, 'an agent identity is an ARN, an app id, a service account email or a name').max(2048);

/** Cloud audit logs of any of the three clouds, the source detected per file. */
export const logsContract = {
  /** Stateless analysis of CloudTrail, Azure Activity Log and GCP Cloud Audit Logs files (`firebreak logs scan`). */
  'logs.scan': method<CloudScanReport, string>().query(
    z.object({ paths: z.array(path).min(1, 'give at least one path').max(10_000), agents: z.array(identity).max(100).default([]), operationId: operationIdText.optional() }).strict(),
    { long: true },
  ),
  /** CloudTrail, Azure and GCP files into an incident (`firebreak logs import`): evidence, stored calls, findings. */
  'logs.import': method<LogsImportResult, string>().mutation(
    z.object({ incidentId, paths: z.array(path).min(1, 'give at least one path').max(100_000), operationId: operationIdText.optional() }).strict(),
    { long: true },
  ),
  /** Calls per second of each identity over time, all clouds on one axis (or one cloud), for the activity chart. */
  'logs.activity': method<ActivityChartData>().query(z.object({ incidentId, cloud: z.enum(['aws', 'azure', 'gcp']).optional() }).strict()),
};
