import { hostname } from 'node:os';
import type { LogsPullResult } from '../../../shared/cloudlogs';
import { plural } from '../../../shared/plural';
import type { CoreContext } from '../../context';
import { FirebreakError, badInput } from '../../errors';
import { intakeBytes } from '../../evidence/intake';
import { isAlive, objectPath } from '../../evidence/store';
import { loadCloudRiskTables } from '../analyse/cloud-high-risk';
import { loadIncidentRiskTable } from '../analyse/incident-risk-table';
import { readLogFile } from '../model/log-file-reader';
import { type CloudPullParams, CollectionsRepository, type Cursor } from '../store/collections-repository';
import { EventsRepository } from '../store/events-repository';
import { FindingsRepository } from '../store/findings-repository';
import { incidentCloudTrail } from '../store/incident-context';
import { AZURE_PACING, type AzureCredential, AzureActivitySource, azureFilter } from './azure-source';
import type { Pacing } from './collector';
import { GCP_PACING, type GcpAuth, GcpLoggingSource, gcpFilter } from './gcp-source';
import { type CollectOptions, EventSink, finishCollection, startCollection } from './importer';
import { analyseIncident } from './incident-analysis';
import { cloudLogRecords } from './logs-importer';
import { PacedSource, PageFailed, type PageSource } from './page-source';

export interface CloudPullInput {
  incidentId: string;
  cloud: 'azure' | 'gcp';
  /** Azure subscription id or GCP project id. */
  scope?: string;
  start?: string;
  end?: string;
  /** Azure only: one resource group. */
  resourceGroup?: string;
  /** Azure `caller` (UPN, app or object id) or GCP principal email. */
  caller?: string;
  endpoint?: string;
}

export interface CloudPullOptions extends CollectOptions {
  /** Request pacing; only a local endpoint may change the clouds' limits (tests). */
  pacing?: Partial<Pacing>;
  /** Credentials instead of the SDKs' default chains (DefaultAzureCredential, application default credentials). */
  azureCredential?: AzureCredential;
  gcpAuth?: GcpAuth;
  /** PEM certificates to trust for a private Azure endpoint, besides Node's own (NODE_EXTRA_CA_CERTS works too). */
  ca?: string;
}

const DAY = 86_400_000;
/** Azure keeps 90 days of activity log; the same default window is used for GCP (whose retention depends on the bucket). */
const DEFAULT_DAYS = 90;
const CALL: Record<CloudPullParams['cloud'], string> = { azure: 'ActivityLogs.list', gcp: 'entries.list' };
const NAME: Record<CloudPullParams['cloud'], string> = { azure: 'Azure Monitor activity log', gcp: 'Cloud Logging' };

const safe = (s: string) => s.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 80);

function resolveWindow(ctx: CoreContext, input: CloudPullInput): { start: string; end: string } {
  const now = ctx.now().getTime();
  const parse = (s: string, what: string) => {
    const t = Date.parse(s);
    if (!Number.isFinite(t) || !/T|^\d{4}-\d{2}-\d{2}$/.test(s)) throw badInput(`--${what} must be an ISO date or time (e.g. 2026-03-10T00:00:00Z), got "${s}".`);
    return t;
  };
  const end = input.end ? parse(input.end, 'end') : now;
  const start = input.start ? parse(input.start, 'start') : end - DEFAULT_DAYS * DAY;
  if (start >= end) throw badInput(`The window is empty: --start ${new Date(start).toISOString()} is not before --end ${new Date(end).toISOString()}.`);
  if (end > now + 5 * 60_000) throw badInput(`--end ${new Date(end).toISOString()} is in the future.`);
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

/** Running the same command again resumes: whatever is given must match the unfinished pull. */
function sameAsBefore(p: CloudPullParams, input: CloudPullInput): boolean {
  const time = (s: string | undefined, was: string) => s === undefined || Date.parse(s) === Date.parse(was);
  const same = <T>(given: T | undefined, was: T | null) => given === undefined || given === was;
  return same(input.scope, p.scope) && time(input.start, p.start) && time(input.end, p.end) && same(input.resourceGroup, p.resourceGroup) && same(input.caller, p.caller) && same(input.endpoint, p.endpoint);
}

function newParams(ctx: CoreContext, input: CloudPullInput, identities: string[]): CloudPullParams {
  const flag = input.cloud === 'azure' ? '--subscription' : '--project';
  if (!input.scope) throw badInput(`Say which ${input.cloud === 'azure' ? 'subscription' : 'project'} to pull: ${flag} ID.`);
  if (input.cloud === 'gcp' && input.resourceGroup) throw badInput('--resource-group is an Azure filter; a GCP pull reads one --project.');
  if (input.cloud === 'azure' && input.endpoint?.startsWith('http://')) {
    throw badInput(`The Azure SDK sends its token only over https: --endpoint ${input.endpoint} must be an https URL.`);
  }
  const w = resolveWindow(ctx, input);
  return { cloud: input.cloud, scope: input.scope, ...w, resourceGroup: input.resourceGroup ?? null, caller: input.caller ?? null, endpoint: input.endpoint ?? null, identities };
}

const filterOf = (p: CloudPullParams) => (p.cloud === 'azure' ? azureFilter(p.start, p.end, p.resourceGroup, p.caller) : gcpFilter(p.start, p.end, p.caller));

async function sourceFor(p: CloudPullParams, o: CloudPullOptions): Promise<PageSource> {
  const endpoint = p.endpoint ?? undefined;
  return p.cloud === 'azure'
    ? AzureActivitySource.create({ subscription: p.scope, filter: filterOf(p), endpoint, credential: o.azureCredential, ca: o.ca })
    : GcpLoggingSource.create({ project: p.scope, filter: filterOf(p), endpoint, auth: o.gcpAuth });
}

/**
 * `logs pull`: the Azure Monitor activity log (ActivityLogs.list) or Cloud Logging's audit entries (entries.list) of
 * one subscription or project over a window. Every page is kept as evidence as received (hashed, with its custody
 * entry), its records are read back from the locker's copy through the same adapters as `logs import`, and the page's
 * calls, the cursor and the counters are recorded in one transaction: an interrupted pull resumes from the last page.
 */
export async function pullCloudLogs(ctx: CoreContext, input: CloudPullInput, o: CloudPullOptions = {}): Promise<LogsPullResult> {
  const info = incidentCloudTrail(ctx, input.incidentId);
  const actor = ctx.automated(input.cloud === 'azure' ? 'Azure activity log pull' : 'GCP audit log pull');
  const collections = new CollectionsRepository(ctx.db);
  const unfinished = collections.unfinishedCloudPull(info.incident.id, input.cloud);
  const me = `${hostname()}:${process.pid}`;
  let collectionId: string;
  let params: CloudPullParams;
  let resumed = false;
  if (unfinished && sameAsBefore(unfinished.params, input)) {
    const [host, pid] = (unfinished.owner ?? '').split(':');
    if (unfinished.owner && unfinished.owner !== me && host === hostname() && isAlive(Number(pid))) {
      throw new FirebreakError('conflict', `A ${NAME[input.cloud]} pull of ${info.incident.id} is already running (process ${pid}); wait for it or stop it first.`);
    }
    collectionId = unfinished.id;
    params = { ...unfinished.params, identities: info.identities };
    resumed = true;
    ctx.change(actor, { scope: info.incident.id, action: 'logs.pull-resumed', subject: collectionId, payload: { params } }, () => collections.setOwner(collectionId, me));
  } else {
    params = newParams(ctx, input, info.identities);
    collectionId = startCollection(ctx, actor, info.incident.id, 'pull', 'collect', params);
  }
  const filter = filterOf(params);
  collections.ensureCursors(collectionId, [[params.scope, CALL[params.cloud], filter]]);
  const pacing: Pacing = { ...(params.cloud === 'azure' ? AZURE_PACING : GCP_PACING), ...(params.endpoint && isLocal(params.endpoint) ? o.pacing : {}) };
  const table = loadIncidentRiskTable(ctx.resourcesDir);
  const sink = new EventSink(ctx, actor, info, collectionId, table);
  const records = cloudLogRecords(loadCloudRiskTables(ctx.resourcesDir));
  const cursor = () => collections.cursors(collectionId)[0] as Cursor;
  let failed = false;
  let source: PageSource | null = null;
  try {
    source = await sourceFor(params, o);
    const paced = new PacedSource(source, pacing, o.signal, (ms, why) => o.onProgress?.(`${why}; waiting ${ms} ms`));
    let c = cursor();
    let restarted = false;
    while (!c.done) {
      let page;
      try {
        page = await paced.page(c.nextToken);
      } catch (e) {
        if (!(e instanceof PageFailed)) throw e;
        const f = e.failure;
        const where = `${CALL[params.cloud]} ${params.cloud === 'azure' ? 'subscription' : 'project'} ${params.scope}`;
        if (f.kind === 'credentials') {
          throw new FirebreakError(
            'unavailable',
            params.cloud === 'azure'
              ? `No Azure credentials for ${where}: ${f.message}. Sign in with 'az login', or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (DefaultAzureCredential).`
              : `No Google Cloud credentials for ${where}: ${f.message}. Run 'gcloud auth application-default login', or set GOOGLE_APPLICATION_CREDENTIALS.`,
          );
        }
        if (f.kind === 'auth') throw new FirebreakError('unavailable', `${params.cloud === 'azure' ? 'Azure' : 'Google Cloud'} refused the credentials for ${where}: ${f.message}`);
        if (f.kind === 'token' && !restarted) {
          // The saved continuation expired: read the window again; what is already kept is deduplicated.
          restarted = true;
          collections.restart(collectionId, c);
          o.onProgress?.(`${where}: the saved page position was refused (${f.message}); reading the window again from its start`);
          c = cursor();
          continue;
        }
        failed = true;
        ctx.change(actor, { scope: info.incident.id, action: 'logs.pull-failed', subject: collectionId, payload: { cloud: params.cloud, scope: params.scope, call: CALL[params.cloud], page: c.pages + 1, error: f.message } }, () =>
          collections.addError(collectionId, `${where}: ${f.message}`),
        );
        o.onProgress?.(`failed: ${where}: ${f.message}`);
        break;
      }
      const n = c.pages + 1;
      const item = await intakeBytes(ctx, actor, page.body, {
        incidentId: info.incident.id,
        name: `${params.cloud === 'azure' ? 'azure-activity-log' : 'gcp-audit-log'}_${safe(params.scope)}_page-${n}.json`,
        sourceKind: 'cloudtrail-api',
        description: `${NAME[params.cloud]} ${CALL[params.cloud]} of ${params.scope}, ${params.start} to ${params.end}, page ${n} (${collectionId})`,
      });
      const bad = sink.bad;
      // Read whole, never cut short by a cancel: the page's calls and the cursor move together (a cancel stops before the next page).
      const r = await readLogFile(objectPath(ctx.dataDir, item.sha256), records(sink, item.id, item.name));
      if (r.status === 'failed' && page.records > 0) sink.refuse(`page ${n}: ${r.reason ?? 'not readable'}`);
      // A page kept whole whose records were not all stored: the report lists it among the logs not read in full.
      const refused = sink.bad - bad;
      const at = c;
      sink.commit(
        item.id,
        {
          cloud: params.cloud,
          scope: params.scope,
          call: CALL[params.cloud],
          page: n,
          sha256: item.sha256,
          records: page.records,
          more: Boolean(page.next),
          status: refused ? 'partial' : 'ok',
          reason: refused ? `${plural(refused, 'record')} not stored: ${sink.firstBad}` : null,
        },
        () => {
          collections.advance(collectionId, at, page.next, page.records);
          collections.linkEvidence(collectionId, item.id, 'page', `${params.scope} ${CALL[params.cloud]} #${n}`);
          collections.count(collectionId, { pages: 1 });
        },
        'logs.page-collected',
      );
      o.onProgress?.(`${params.scope} ${CALL[params.cloud]} page ${n}: ${plural(page.records, 'record')}, ${plural(sink.added, 'new call')} so far`);
      c = cursor();
    }
  } catch (e) {
    const interrupted = o.signal?.aborted || (e instanceof FirebreakError && e.code === 'cancelled');
    if (!interrupted) collections.addError(collectionId, (e as Error).message);
    finishCollection(ctx, actor, info.incident.id, collectionId, 'interrupted');
    if (interrupted) {
      throw new FirebreakError('cancelled', `The pull was interrupted after ${sink.added} new calls; run the same command again to resume ${collectionId}.`);
    }
    throw e;
  } finally {
    source?.close();
  }
  if (sink.bad > 0) collections.addError(collectionId, `${plural(sink.bad, 'record')} skipped: ${sink.firstBad}`);
  const analysis = analyseIncident(ctx, info, table, actor, collectionId);
  finishCollection(ctx, actor, info.incident.id, collectionId, failed ? 'failed' : 'done');
  const c = cursor();
  return {
    collection: collections.get(collectionId),
    cloud: params.cloud,
    scope: params.scope,
    filter,
    pages: c.pages,
    records: c.events,
    findings: new FindingsRepository(ctx.db).list(info.incident.id, analysis.update.added.map((a) => a.id)),
    newFindings: analysis.update.added.length,
    byCloud: new EventsRepository(ctx.db).byCloud(info.incident.id),
    resumed,
  };
}

/** A test server on this machine; only there may pacing differ from the clouds' limits. */
const isLocal = (endpoint: string) => /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(endpoint);
