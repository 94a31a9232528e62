import * as z from 'zod';
import type {
  AgentIdentities,
  CloudTrailFinding,
  DigestVerification,
  EventSupport,
  FindingsSummary,
  ImportResult,
  MonitoringCheck,
  PullResult,
  ScanReport,
  TimelineEventDetail,
  TimelinePage,
} from '../cloudtrail';
import { incidentId, method, operationId as operationIdText, text } from './define';
import { urlSecretProblem } from '../url-secrets';

const path = text('Path', 4096);
const identity = z.string().trim().min(1, 'an agent identity is an ARN or a name').max(2048);
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'a region looks like us-east-1');
const isoTime = z.string().trim().max(40);
const eventId = text('Event id', 200);
const findingId = z.string().regex(/^CTF-\d{6,}$/, 'a finding id looks like CTF-000001');
const operationId = operationIdText.optional();

/** A cloud API's address instead of the public one (tests, VPC endpoints, sovereign clouds). */
export const serviceEndpoint = z
  .url({ protocol: /^https?$/, error: 'endpoint must be an http(s) URL' })
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'endpoint must not carry credentials (they would be recorded)')
  .refine((u) => urlSecretProblem(u) === undefined, 'endpoint must not carry a password parameter (it would be recorded)')
  .refine(
    (u) => u.startsWith('https://') || /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(u),
    'endpoint must be https (plain http is accepted only on this machine, for tests)',
  );

const pullFields = {
  incidentId,
  regions: z.array(region).max(40).optional(),
  start: isoTime.optional(),
  profile: z.string().trim().min(1).max(128).optional(),
  /** A CloudTrail-compatible endpoint (tests, VPC endpoints). */
  endpoint: serviceEndpoint.optional(),
  operationId,
};

export const timelineFilter = z
  .object({
    principal: z.string().max(2048).optional(),
    service: z.string().max(100).optional(),
    highRiskOnly: z.boolean().optional(),
    errorsOnly: z.boolean().optional(),
    agentOnly: z.boolean().optional(),
    cloud: z.enum(['aws', 'azure', 'gcp']).optional(),
    text: z.string().max(200).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
  })
  .strict();

export const cloudtrailContract = {
  /** Stateless analysis of exports on this machine (what `firebreak cloudtrail scan` prints); progress is a line. */
  'cloudtrail.scan': method<ScanReport, string>().query(
    () => z.object({ paths: z.array(path).min(1, 'give at least one path').max(10_000), agents: z.array(identity).max(100).default([]), operationId }).strict(),
    { long: true },
  ),
  'cloudtrail.verifyDigests': method<DigestVerification>().query(() => z.object({ path, publicKeys: path }).strict()),
  /** Exports become evidence; their events and findings are attached to the incident. A cancel keeps what was imported. */
  'cloudtrail.import': method<ImportResult, string>().mutation(
    () => z.object({ incidentId, paths: z.array(path).min(1, 'give at least one path').max(100_000), operationId }).strict(),
    { long: true },
  ),
  /** LookupEvents for the agent identities and the high-risk events; resumes an interrupted (or cancelled) pull. */
  'cloudtrail.pull': method<PullResult, string>().mutation(() => z.object({ ...pullFields, end: isoTime.optional() }).strict(), { long: true }),
  /** One check of the 30-day monitoring window: "clear" or an alert that reopens Containment. */
  'cloudtrail.monitoringCheck': method<MonitoringCheck, string>().mutation(() => z.object(pullFields).strict(), { long: true }),
  'cloudtrail.agents': method<AgentIdentities>().query(() => z.object({ incidentId }).strict()),
  /** Sets the agent identities (besides the incident's parameters) and re-analyses the stored events. */
  'cloudtrail.setAgents': method<FindingsSummary>().mutation(() => z.object({ incidentId, identities: z.array(identity).max(100) }).strict()),
  'cloudtrail.summary': method<FindingsSummary>().query(() => z.object({ incidentId }).strict()),
  'cloudtrail.findings': method<CloudTrailFinding[]>().query(() => z.object({ incidentId }).strict()),
  /** One page of the timeline; the total sizes a virtualized list of any length. */
  'cloudtrail.events': method<TimelinePage>().query(
    () => z
      .object({
        incidentId,
        filter: timelineFilter.default({}),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
  /** Principals and services with their counts, for the timeline's filters. */
  'cloudtrail.facets': method<{ principals: Array<{ principalArn: string; label: string; calls: number; agent: boolean }>; services: Array<{ service: string; calls: number }> }>().query(
    () => z.object({ incidentId }).strict(),
  ),
  'cloudtrail.event': method<TimelineEventDetail>().query(() => z.object({ incidentId, eventId }).strict()),
  /** Marks (or with `remove`, unmarks) an event as supporting a finding; recorded in the ledger. */
  'cloudtrail.markSupport': method<EventSupport[]>().mutation(
    () => z
      .object({ incidentId, eventId, findingId, note: z.string().trim().max(4000).optional(), remove: z.boolean().default(false) })
      .strict(),
  ),
};
