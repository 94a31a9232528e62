import type { AthenaPlan, AthenaScope } from '../../shared/athena';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { loadHighRiskTable } from '../cloudtrail/analyse/high-risk-load';
import { incidentCloudTrail } from '../cloudtrail/store/incident-context';
import { estimateScan } from './estimate';
import { analysisQueries } from './queries';
import { createTableDdl } from './table-ddl';

export interface AthenaPlanInput {
  incidentId: string;
  database: string;
  table: string;
  createTable: boolean;
  bucket?: string | undefined;
  organizationId?: string | undefined;
  accounts?: string[] | undefined;
  regions: string[];
  start?: string | undefined;
  end?: string | undefined;
  /** Typical size of one account-Region-day partition, in MB (gzip, as Athena scans it). */
  partitionMb: number;
  workgroup?: string | undefined;
  output?: string | undefined;
}

const DAY = 86_400_000;
const MAX_QUERY_BYTES = 262_144;
/** Without --start, the window opens this long before the incident was opened. */
const DEFAULT_LOOKBACK_DAYS = 30;
const ACCOUNT_PARAM = /^(aws_)?account(_ids?|s)?$|^aws_account_ids?$/;

function time(text: string, what: string): number {
  const t = Date.parse(text);
  if (!Number.isFinite(t) || !/T|^\d{4}-\d{2}-\d{2}$/.test(text)) throw badInput(`--${what} must be an ISO date or time (e.g. 2026-03-10T00:00:00Z), got "${text}".`);
  return t;
}

/** The incident's window, accounts and Regions, from what the responder gave and the incident's parameters. */
export function resolveScope(ctx: CoreContext, input: AthenaPlanInput, params: Record<string, string>, openedAt: string): AthenaScope {
  const end = input.end ? time(input.end, 'end') : ctx.now().getTime();
  const start = input.start ? time(input.start, 'start') : Date.parse(openedAt) - DEFAULT_LOOKBACK_DAYS * DAY;
  if (start >= end) throw badInput(`The window is empty: --start ${new Date(start).toISOString()} is not before --end ${new Date(end).toISOString()}.`);
  const fromParams = Object.entries(params)
    .filter(([k, v]) => ACCOUNT_PARAM.test(k) && v.trim())
    .flatMap(([, v]) => v.split(/[\s,;]+/).filter(Boolean));
  const accounts = [...new Set(input.accounts?.length ? input.accounts : fromParams)];
  if (accounts.length === 0) throw badInput('Say which accounts to query: --account 123456789012 (repeatable), or set the incident\'s aws_account_id.');
  const bad = accounts.find((a) => !/^\d{12}$/.test(a));
  if (bad) throw badInput(`An AWS account id is 12 digits; got "${bad}".`);
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), accounts: accounts.sort(), regions: [...new Set(input.regions)].sort() };
}

/** Everything that would run, and what it would cost, before anything runs. */
export function athenaPlan(ctx: CoreContext, input: AthenaPlanInput): AthenaPlan {
  const info = incidentCloudTrail(ctx, input.incidentId);
  const scope = resolveScope(ctx, input, info.incident.params, info.incident.createdAt);
  if (input.createTable && !input.bucket) throw badInput('--create-table needs --bucket s3://BUCKET[/PREFIX] (where the trail writes AWSLogs/).');
  const ddl = input.createTable
    ? createTableDdl({
        database: input.database,
        table: input.table,
        bucket: input.bucket as string,
        organizationId: input.organizationId ?? null,
        accounts: scope.accounts,
        regions: scope.regions,
        firstDay: scope.start.slice(0, 10).replace(/-/g, '/'),
      })
    : null;
  const queries = analysisQueries({ database: input.database, table: input.table, scope, identities: info.identities, highRisk: loadHighRiskTable(ctx.resourcesDir) });
  // Athena refuses query strings over 262,144 bytes (a fixed quota); say so before anything is sent.
  const long = queries.find((q) => Buffer.byteLength(q.sql) > MAX_QUERY_BYTES);
  if (long) throw badInput(`The ${long.name} query is ${Buffer.byteLength(long.sql)} bytes, over Athena's ${MAX_QUERY_BYTES}-byte limit: name fewer agent identities.`);
  return {
    database: input.database,
    table: input.table,
    ddl,
    queries,
    scope,
    estimate: estimateScan(scope, queries.length, Math.round(input.partitionMb * 1e6)),
    workgroup: input.workgroup ?? null,
    output: input.output ?? null,
  };
}
