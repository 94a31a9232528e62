import { hostname } from 'node:os';
import type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import type { PullResult } from '../../../shared/cloudtrail';
import type { CoreContext } from '../../context';
import { FirebreakError, badInput } from '../../errors';
import { intakeBytes } from '../../evidence/intake';
import { isAlive, objectPath } from '../../evidence/store';
import type { Actor } from '../../ledger/ledger';
import type { HighRiskTable } from '../analyse/high-risk';
import { loadIncidentRiskTable } from '../analyse/incident-risk-table';
import { readExportFile } from '../import/export-reader';
import type { Identity } from '../import/normalize';
import { CollectionsRepository, type Cursor, type PullParams } from '../store/collections-repository';
import { EventsRepository } from '../store/events-repository';
import { FindingsRepository } from '../store/findings-repository';
import { type IncidentCloudTrail, incidentCloudTrail } from '../store/incident-context';
import { AWS_PACING, LookupFailed, type Pacing, RegionClient } from './collector';
import { type CollectOptions, EventSink, finishCollection, startCollection } from './importer';
import { analyseIncident } from './incident-analysis';

export interface PullInput {
  incidentId: string;
  regions?: string[];
  start?: string;
  end?: string;
  profile?: string;
  endpoint?: string;
}

export interface PullOptions extends CollectOptions {
  purpose?: 'collect' | 'monitoring';
  /** Request pacing; only a local --endpoint may change AWS's limits (tests). */
  pacing?: Partial<Pacing>;
  /** Where AWS_REGION is looked up when no region is given. */
  env?: NodeJS.ProcessEnv;
}

const DAY = 86_400_000;
/** LookupEvents keeps 90 days of management events. */
const RETENTION_DAYS = 90;
const PUBLIC_KEYS = '__ListPublicKeys';
const ACCESS_KEY = /^(AKIA|ASIA)[A-Z0-9]{12,}$/;
const MAX_DISCOVERED = 200;

/** One lookup attribute per call: Username or AccessKeyId per agent identity, EventName per high-risk event. */
export function plannedLookups(identities: readonly string[], table: HighRiskTable): Array<[LookupAttributeKey, string]> {
  const out = new Map<string, [LookupAttributeKey, string]>();
  const add = (k: LookupAttributeKey, v: string) => out.set(`${k} ${v}`, [k, v]);
  for (const r of table.rules) {
    // S3 object deletions are data events: never in LookupEvents. Azure and GCP rows are no CloudTrail event names.
    if (r.id === 's3-delete-objects' || !r.eventSource.endsWith('.amazonaws.com')) continue;
    for (const name of r.eventNames) {
      add('EventName', name);
      if (r.eventSource === 'lambda.amazonaws.com') add('EventName', `${name}20150331`);
    }
  }
  for (const id of identities) {
    if (ACCESS_KEY.test(id)) add('AccessKeyId', id);
    else if (id.startsWith('arn:')) {
      const user = /:user\/(?:.*\/)?([^/]+)$/.exec(id)?.[1];
      const role = /:role\/(?:.*\/)?([^/]+)$/.exec(id)?.[1];
      const session = /:assumed-role\/[^/]+\/([^/]+)$/.exec(id)?.[1];
      const name = user ?? session ?? role;
      if (name) add('Username', name);
    } else add('Username', id);
  }
  return [...out.values()];
}

/** Running the same command again resumes: whatever is given must match the unfinished pull. */
function sameAsBefore(p: PullParams, input: PullInput): boolean {
  const time = (s: string | undefined, was: string) => s === undefined || Date.parse(s) === Date.parse(was);
  const regions = !input.regions?.length || [...new Set(input.regions)].sort().join() === [...p.regions].sort().join();
  return regions && time(input.start, p.start) && time(input.end, p.end) && (input.endpoint ?? p.endpoint) === p.endpoint && (input.profile ?? p.profile) === p.profile;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 80);

function resolveWindow(ctx: CoreContext, input: PullInput): { start: Date; end: Date } {
  const now = ctx.now().getTime();
  const parse = (s: string, what: string) => {
    const t = Date.parse(s);
    if (!Number.isFinite(t) || !/T|^\d{4}-\d{2}-\d{2}$/.test(s)) throw badInput(`--${what} must be an ISO date or time (e.g. 2026-03-10T00:00:00Z), got "${s}".`);
    return t;
  };
  const end = input.end ? parse(input.end, 'end') : now;
  const start = input.start ? parse(input.start, 'start') : end - RETENTION_DAYS * DAY + 60_000;
  if (start >= end) throw badInput(`The window is empty: --start ${new Date(start).toISOString()} is not before --end ${new Date(end).toISOString()}.`);
  if (start < now - RETENTION_DAYS * DAY) {
    throw badInput(`LookupEvents only holds the last ${RETENTION_DAYS} days: --start must be after ${new Date(now - RETENTION_DAYS * DAY).toISOString()}. Import the S3 exports for older activity.`);
  }
  if (end > now + 5 * 60_000) throw badInput(`--end ${new Date(end).toISOString()} is in the future.`);
  return { start: new Date(start), end: new Date(end) };
}

/**
 * `cloudtrail pull`: LookupEvents over the window for every planned lookup in every region (regions in parallel,
 * pages in order), each raw page kept as evidence and its events recorded with the cursor in one transaction, so an
 * interrupted pull resumes where it stopped. ListPublicKeys is saved too, for offline digest checks.
 */
export async function pullCloudTrail(ctx: CoreContext, input: PullInput, o: PullOptions = {}): Promise<PullResult> {
  const info = incidentCloudTrail(ctx, input.incidentId);
  const actor = ctx.automated(o.purpose === 'monitoring' ? 'CloudTrail monitoring' : 'CloudTrail pull');
  const table = loadIncidentRiskTable(ctx.resourcesDir);
  const env = o.env ?? process.env;
  const collections = new CollectionsRepository(ctx.db);
  const purpose = o.purpose ?? 'collect';
  const unfinished = collections.unfinishedPull(info.incident.id, purpose);
  const me = `${hostname()}:${process.pid}`;
  let collectionId: string;
  let params: PullParams;
  let resumed = false;
  if (unfinished && sameAsBefore(unfinished.params, input)) {
    const [host, pid] = (unfinished.owner ?? '').split(':');
    if (unfinished.owner && unfinished.owner !== me && host === hostname() && isAlive(Number(pid))) {
      throw new FirebreakError('conflict', `A pull of ${info.incident.id} is already running (process ${pid}); wait for it or stop it first.`);
    }
    collectionId = unfinished.id;
    params = { ...unfinished.params, identities: info.awsIdentities };
    resumed = true;
    ctx.change(actor, { scope: info.incident.id, action: 'cloudtrail.collection-resumed', subject: collectionId, payload: { params } }, () =>
      collections.setOwner(collectionId, me),
    );
  } else {
    const regions = [...new Set((input.regions?.length ? input.regions : [env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '']).filter(Boolean))];
    if (regions.length === 0) throw badInput('Say which regions to pull: --region us-east-1 (repeatable), or set AWS_REGION.');
    const w = resolveWindow(ctx, input);
    params = { regions, start: w.start.toISOString(), end: w.end.toISOString(), identities: info.awsIdentities, profile: input.profile ?? null, endpoint: input.endpoint ?? null };
    collectionId = startCollection(ctx, actor, info.incident.id, 'pull', purpose, params);
  }
  const pacing: Pacing = { ...AWS_PACING, ...(params.endpoint ? o.pacing : {}) };
  const planned = plannedLookups(params.identities, table);
  collections.ensureCursors(
    collectionId,
    params.regions.flatMap((region) => [[region, PUBLIC_KEYS, ''] as const, ...planned.map(([k, v]) => [region, k, v] as const)]),
  );
  const sink = new EventSink(ctx, actor, info, collectionId, table);
  const run = new PullRun(ctx, actor, info, collections, sink, collectionId, params, pacing, o);
  try {
    await Promise.all(params.regions.map((r) => run.region(r)));
  } catch (e) {
    const interrupted = o.signal?.aborted || (e instanceof FirebreakError && e.code === 'cancelled');
    if (!interrupted) collections.addError(collectionId, (e as Error).message);
    finishCollection(ctx, actor, info.incident.id, collectionId, 'interrupted');
    if (interrupted) {
      throw new FirebreakError('cancelled', `The pull was interrupted after ${sink.added} new events; run the same command again to resume ${collectionId}.`);
    }
    throw e;
  }
  const analysis = analyseIncident(ctx, info, table, actor, collectionId);
  finishCollection(ctx, actor, info.incident.id, collectionId, run.failures > 0 ? 'failed' : 'done');
  return {
    collection: collections.get(collectionId),
    lookups: collections
      .cursors(collectionId)
      .filter((c) => c.attrKey !== PUBLIC_KEYS)
      .map((c) => ({ region: c.region, attribute: c.attrKey, value: c.attrValue, pages: c.pages, events: c.events, done: c.done })),
    publicKeysEvidenceIds: collections.evidenceOf(collectionId, 'public-keys'),
    findings: new FindingsRepository(ctx.db).list(info.incident.id, analysis.update.added.map((a) => a.id)),
    newFindings: analysis.update.added.length,
    resumed,
  };
}

/** The work of one pull: per region, the public keys, then every lookup page by page, then lookups discovered. */
class PullRun {
  failures = 0;
  private readonly start: Date;
  private readonly end: Date;

  constructor(
    private readonly ctx: CoreContext,
    private readonly actor: Actor,
    private readonly info: IncidentCloudTrail,
    private readonly collections: CollectionsRepository,
    private readonly sink: EventSink,
    private readonly id: string,
    private readonly params: PullParams,
    private readonly pacing: Pacing,
    private readonly o: PullOptions,
  ) {
    this.start = new Date(params.start);
    this.end = new Date(params.end);
  }

  async region(region: string): Promise<void> {
    const client = await RegionClient.create({
      region,
      profile: this.params.profile ?? undefined,
      endpoint: this.params.endpoint ?? undefined,
      pacing: this.pacing,
      signal: this.o.signal,
      onWait: (ms, why) => this.o.onProgress?.(`${why}; waiting ${ms} ms`),
    });
    const failed = new Set<string>();
    try {
      for (;;) {
        const pending = this.collections.cursors(this.id).filter((c) => c.region === region && !c.done && !failed.has(`${c.attrKey} ${c.attrValue}`));
        if (pending.length === 0 && !this.discover(region)) return;
        for (const c of pending.sort((a, b) => order(a) - order(b))) {
          if (!(await this.walk(client, c))) failed.add(`${c.attrKey} ${c.attrValue}`);
        }
      }
    } finally {
      client.destroy();
    }
  }

  /** Walks one lookup from its saved cursor to the last page; false when it failed (recorded, resumable later). */
  private async walk(client: RegionClient, c: Cursor): Promise<boolean> {
    let token = c.nextToken;
    let page = c.pages;
    let restarted = false;
    for (;;) {
      let raw;
      try {
        raw = c.attrKey === PUBLIC_KEYS ? await client.listPublicKeys(this.start, this.end, token) : await client.lookup(c.attrKey as LookupAttributeKey, c.attrValue, this.start, this.end, token);
      } catch (e) {
        if (!(e instanceof LookupFailed)) throw e;
        if (e.kind === 'credentials') throw new FirebreakError('unavailable', `No AWS credentials: ${e.message}. Use --profile, or the SDK's default chain (environment, shared config, SSO, instance role).`);
        if (e.kind === 'auth') throw new FirebreakError('unavailable', `AWS refused the credentials: ${e.message}`);
        if (e.kind === 'token' && !restarted) {
          restarted = true;
          token = null;
          this.collections.restart(this.id, c);
          continue;
        }
        this.failures++;
        this.ctx.change(
          this.actor,
          { scope: this.info.incident.id, action: 'cloudtrail.lookup-failed', subject: this.id, payload: { region: c.region, attribute: c.attrKey, value: c.attrValue, error: e.message } },
          () => this.collections.addError(this.id, e.message),
        );
        this.o.onProgress?.(`failed: ${e.message}`);
        return false;
      }
      page++;
      const keys = c.attrKey === PUBLIC_KEYS;
      const name = keys ? `list-public-keys_${c.region}_page-${page}.json` : `lookup-events_${c.region}_${c.attrKey}-${safe(c.attrValue)}_page-${page}.json`;
      const item = await intakeBytes(this.ctx, this.actor, raw.body, {
        incidentId: this.info.incident.id,
        name,
        sourceKind: 'cloudtrail-api',
        description: `${keys ? 'ListPublicKeys' : `LookupEvents ${c.attrKey}=${c.attrValue}`} in ${c.region}, ${this.params.start} to ${this.params.end}, page ${page} (${this.id})`,
      });
      if (!keys) await readExportFile(objectPath(this.ctx.dataDir, item.sha256), (v) => this.sink.add(v, item.id));
      const nextToken = raw.nextToken;
      this.sink.commit(
        item.id,
        { region: c.region, attribute: c.attrKey === PUBLIC_KEYS ? 'ListPublicKeys' : c.attrKey, value: c.attrValue, page, sha256: item.sha256, more: Boolean(nextToken) },
        () => {
          this.collections.advance(this.id, c, nextToken, raw.events);
          this.collections.linkEvidence(this.id, item.id, keys ? 'public-keys' : 'page', `${c.region} ${keys ? 'ListPublicKeys' : `${c.attrKey}=${c.attrValue}`} #${page}`);
          this.collections.count(this.id, { pages: 1 });
        },
        keys ? 'cloudtrail.public-keys-collected' : 'cloudtrail.page-collected',
      );
      this.o.onProgress?.(`${c.region} ${keys ? 'ListPublicKeys' : `${c.attrKey}=${c.attrValue}`} page ${page}: ${raw.events} ${keys ? 'keys' : 'events'}, ${this.sink.added} new events so far`);
      if (!nextToken) return true;
      token = nextToken;
    }
  }

  /** Sessions and access keys seen in the agent's calls become lookups of their own (their full activity). */
  private discover(region: string): boolean {
    const identities = new EventsRepository(this.ctx.db).agentIdentities(this.info.incident.id, 1000);
    const known = new Set(this.collections.cursors(this.id).filter((c) => c.region === region).map((c) => `${c.attrKey} ${c.attrValue}`));
    const found: Array<[string, string]> = [];
    for (const stored of identities) {
      const id = JSON.parse(stored) as Identity;
      for (const pair of [
        ['Username', id.sessionName ?? id.userName],
        ['AccessKeyId', id.accessKeyId],
      ] as Array<[string, string | null]>) {
        if (pair[1] && !known.has(`${pair[0]} ${pair[1]}`) && known.size + found.length < MAX_DISCOVERED) {
          known.add(`${pair[0]} ${pair[1]}`);
          found.push([pair[0], pair[1]]);
        }
      }
    }
    if (found.length === 0) return false;
    this.ctx.change(this.actor, { scope: this.info.incident.id, action: 'cloudtrail.lookups-discovered', subject: this.id, payload: { region, lookups: found } }, () =>
      this.collections.ensureCursors(this.id, found.map(([k, v]) => [region, k, v] as const)),
    );
    return true;
  }
}

/** Public keys first, then the high-risk event names (they reveal the agent's sessions), then identities. */
const order = (c: Cursor) => (c.attrKey === PUBLIC_KEYS ? 0 : c.attrKey === 'EventName' ? 1 : 2);
