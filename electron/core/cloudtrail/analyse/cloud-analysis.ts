import type { CloudHighRisk, CloudName, CloudPrincipal } from '../../../shared/cloudlogs';
import type { AgentMatch } from '../import/agents';
import { isoOfSec } from '../import/normalize';
import type { CloudActor, CloudEvent } from '../model/cloud-event';
import { type CadenceResult, Meta, cadenceOf, pack } from './cadence';
import { FingerprintSet, fingerprint } from './fingerprint';
import { GrowableFloat64 } from './growable';

/** What is kept of a high-risk call until the end (its outcome may come in a later record). */
interface Hit {
  event: CloudEvent;
  rules: string[];
  attack: string[];
  agent: boolean;
}

class Caller {
  calls = 0;
  sdk = 0;
  agent = false;
  packed = new GrowableFloat64();
  constructor(
    readonly cloud: CloudName,
    readonly actor: CloudActor,
  ) {}
}

/** An operation seen once (an Azure Start waiting for its outcome, a GCP first entry waiting for its last). */
interface OpenOperation {
  caller: Caller;
  hit: Hit | null;
}

/** A 53-bit number from a key's 64-bit fingerprint: a Map keyed by numbers holds far less than one keyed by strings. */
const numberKey = (key: string): number => {
  const [hi, lo] = fingerprint(key);
  return (hi & 0x1fffff) * 4294967296 + (lo >>> 0);
};

const SDK_UA = /(aws-sdk-|aws-cli\/|Boto3\/|botocore\/|Terraform|terraform-provider|HashiCorp|Pulumi|azsdk-|AZURECLI|azure-cli|python-requests|Go-http-client|google-api-|gcloud|google-cloud-sdk|grpc-|okhttp|langchain|openai|anthropic)/i;

/**
 * The cloud-wide analysis over CloudEvents only: counts operations (Azure Start and outcome are one, GCP first and last
 * are one), attributes them to their callers, judges each caller's cadence, and keeps the high-risk calls. Memory: a
 * packed float per operation, plus the keys that pair and deduplicate records.
 */
export class CloudAnalysis {
  records = 0;
  duplicates = 0;
  readonly byCloud: Record<CloudName, number> = { aws: 0, azure: 0, gcp: 0 };
  private callers = new Map<string, Caller>();
  /** Operations waiting for their other record; an operation leaves once both are in, so only those in flight stay. */
  private open = new Map<number, OpenOperation>();
  private seen = new FingerprintSet(1 << 16);
  private hits: Hit[] = [];
  private matchedAgents = new Set<string>();

  constructor(private readonly agents: readonly string[]) {}

  private caller(e: CloudEvent): Caller {
    const key = e.actor.id;
    let c = this.callers.get(key);
    if (!c) this.callers.set(key, (c = new Caller(e.cloud, e.actor)));
    return c;
  }

  /** Azure and GCP callers are agents when an agent value names their id, display name, session or delegation chain. */
  agentOf(actor: CloudActor): string | null {
    for (const a of this.agents) {
      const x = a.toLowerCase();
      if (actor.id.toLowerCase() === x || actor.displayName.toLowerCase() === x || actor.session?.toLowerCase() === x || actor.delegation.some((d) => d.toLowerCase() === x)) return a;
    }
    return null;
  }

  /**
   * One record. `dedupKey` drops repeats (CloudTrail eventID, GCP insertId + timestamp); `paired` says the record is
   * one of the two of its operation (`operationKey` folds them); `started` says it is the start (its time stands, its status not).
   */
  add(e: CloudEvent, o: { dedupKey: string | null; started: boolean; paired: boolean; rules: string[]; attack: string[]; agent: AgentMatch | string | null }): void {
    if (o.dedupKey !== null) {
      const [hi, lo] = fingerprint(o.dedupKey);
      if (!this.seen.add(hi, lo)) {
        this.duplicates++;
        return;
      }
    }
    this.records++;
    const agent = o.agent !== null;
    if (typeof o.agent === 'string') this.matchedAgents.add(o.agent);
    else if (o.agent) this.matchedAgents.add(o.agent.identity);
    const opKey = e.operationKey && o.paired ? numberKey(e.operationKey) : null;
    const earlier = opKey !== null ? this.open.get(opKey) : undefined;
    if (earlier && opKey !== null) {
      this.open.delete(opKey);
      // The second record of an operation: the outcome settles its status, the operation is not counted again.
      if (earlier.hit && !o.started && e.status !== 'unknown') {
        earlier.hit.event = { ...earlier.hit.event, status: e.status, errorCode: e.errorCode, errorMessage: e.errorMessage };
      }
      if (!earlier.hit && o.rules.length) this.hits.push((earlier.hit = { event: e, rules: o.rules, attack: o.attack, agent }));
      return;
    }
    const c = this.caller(e);
    c.calls++;
    if (agent) c.agent = true;
    if (e.actor.userAgent && SDK_UA.test(e.actor.userAgent)) c.sdk++;
    this.byCloud[e.cloud]++;
    const meta = (e.activity === 'read' ? 0 : Meta.Write) | (e.status === 'failure' ? Meta.Error : 0) | (o.rules.length ? Meta.HighRisk : 0) | (consoleAgent(e) ? Meta.Console : 0);
    c.packed.push(pack(Math.floor(e.timeMs / 1000), 0, 0, meta));
    const hit = o.rules.length ? { event: e, rules: o.rules, attack: o.attack, agent } : null;
    if (hit) this.hits.push(hit);
    if (opKey !== null) this.open.set(opKey, { caller: c, hit });
  }

  private principal(c: Caller): CloudPrincipal {
    const { cadence } = cadenceOf(c.packed.sorted()) as CadenceResult;
    const reasons: string[] = [];
    let likely = false;
    if (c.actor.kind === 'cloud-service') reasons.push(`a ${c.cloud.toUpperCase()} service acting for the account, not a workload identity`);
    else if (cadence.verdict === 'machine' || cadence.verdict === 'mixed') {
      // Cadence decides; the user agent only supports what the cadence shows.
      likely = true;
      reasons.push(...cadence.reasons);
      if (c.sdk * 10 >= c.calls * 9 && c.calls >= 10) reasons.push(`${Math.round((c.sdk / c.calls) * 100)}% of calls from SDK, CLI or infrastructure-as-code clients`);
    } else reasons.push(...cadence.reasons);
    return { cloud: c.cloud, name: c.actor.displayName, kind: c.actor.kind, calls: c.calls, agent: c.agent, cadence, automation: { likely, reasons } };
  }

  private highRisk(): CloudHighRisk[] {
    const hits = [...this.hits].sort((a, b) => a.event.timeMs - b.event.timeMs);
    return hits.map((h, i) => {
      const e = h.event;
      const sameSecond = (j: number) => {
        const other = hits[j];
        return other !== undefined && !e.subSecond && !other.event.subSecond && Math.floor(other.event.timeMs / 1000) === Math.floor(e.timeMs / 1000);
      };
      return {
        cloud: e.cloud,
        eventID: e.eventId,
        eventTime: e.time,
        service: e.service,
        operation: e.operation,
        principal: e.actor.id,
        principalName: e.actor.displayName,
        agent: h.agent,
        errorCode: e.status === 'failure' ? (e.errorCode ?? 'failed') : null,
        attack: h.attack,
        rules: h.rules,
        resources: e.resources,
        simultaneous: sameSecond(i - 1) || sameSecond(i + 1),
      };
    });
  }

  report(): { highRisk: CloudHighRisk[]; byPrincipal: Record<string, CloudPrincipal>; unmatchedAgents: string[]; first: string | null } {
    const byPrincipal: Record<string, CloudPrincipal> = {};
    let first = Infinity;
    for (const [key, c] of [...this.callers.entries()].sort((a, b) => b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1))) {
      byPrincipal[key] = this.principal(c);
    }
    for (const h of this.hits) first = Math.min(first, h.event.timeMs);
    return {
      highRisk: this.highRisk(),
      byPrincipal,
      unmatchedAgents: this.agents.filter((a) => !this.matchedAgents.has(a)),
      first: Number.isFinite(first) ? isoOfSec(Math.floor(first / 1000)) : null,
    };
  }
}

/** Calls made from a cloud console (a person clicking) never make a machine-speed burst on their own. */
const consoleAgent = (e: CloudEvent): boolean => {
  const ua = e.actor.userAgent;
  return ua !== null && /console\.(\w+\.)?amazonaws\.com|signin\.amazonaws\.com|S3Console|EC2ConsoleFrontend|^\[?Mozilla\/|AWS Internal|^Coral\/Jakarta/.test(ua);
};
