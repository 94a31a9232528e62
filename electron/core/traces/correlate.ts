import type { CorrelatedEvent, CorrelationReason, UnexplainedCloudEvent } from '../../shared/traces';
import type { CloudEvent } from '../cloudtrail/model/cloud-event';
import { wordsOf } from './destructive';
import type { RawStep } from './raw-step';

/** CloudTrail keeps whole seconds and clocks drift: an event may carry a time a little before the tool call began. */
export const BEFORE_MS = 5_000;
/** A tool may return before the cloud call it started is logged (async SDK calls, CLI retries): a minute of slack. */
export const AFTER_MS = 60_000;

/**
 * A call that polls (describe, list, SELECT) in a busy account matches hundreds of like events in its window: a call
 * keeps its strongest links, which is what an investigator reads; the others still count as explained.
 */
export const MAX_LINKS_PER_CALL = 25;

/** Resource attributes and metadata keys that name who the agent acts as. */
const IDENTITY_KEY = /(role|arn|principal|identity|service[._]?account|client[._]?id|app[._]?id|user|agent)/i;

export const stem = (w: string) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w);

/** The words that name an operation: all of an AWS eventName, the last two parts of Azure and GCP method names. */
function operationWords(e: CloudEvent): string[] {
  const name = e.cloud === 'aws' ? e.operation : e.operation.split(/[./]/).slice(-2).join(' ');
  return wordsOf(name).map(stem);
}

/** What a resource is called in a tool's arguments: an ARN's or a path's last part, `key=value`'s value. */
function resourceNames(e: CloudEvent): string[] {
  const out = new Set<string>();
  for (const r of e.resources) {
    const value = r.includes('=') ? r.slice(r.indexOf('=') + 1) : r;
    const last = value.split(/[/:]/).filter(Boolean).at(-1);
    if (last && last.length >= 3) out.add(last.toLowerCase());
    if (value.length >= 3) out.add(value.toLowerCase());
  }
  return [...out];
}

export const containsToken = (haystack: string, needle: string): boolean => {
  const i = haystack.indexOf(needle);
  if (i === -1) return false;
  const before = haystack[i - 1];
  const after = haystack[i + needle.length];
  const edge = (c: string | undefined) => c === undefined || !/[a-z0-9_-]/.test(c);
  return edge(before) && edge(after);
};

/** What correlation reads of a tool call: when it ran, what it is called, its arguments (as read, or as stored redacted). */
export type CorrelationStep = Pick<RawStep, 'startMs' | 'endMs' | 'tool' | 'name' | 'arguments'>;

export interface ToolContext {
  step: CorrelationStep;
  /** Identity values of the tool's run (resource attributes, metadata) and the agent identities the user named. */
  identities: string[];
}

/** A role ARN is seen in CloudTrail as the sessions that assumed it: arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION. */
function spellings(value: string): string[] {
  const role = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/i.exec(value);
  return role ? [value, `:${role[1]}:assumed-role/${role[2]}/`] : [value];
}

export function identitiesOf(identity: Record<string, string>, agents: readonly string[]): string[] {
  const values = Object.entries(identity)
    .filter(([k, v]) => IDENTITY_KEY.test(k) && v.length >= 4)
    .map(([, v]) => v);
  return [...new Set([...values, ...agents].flatMap(spellings).map((v) => v.toLowerCase()))];
}

/** What a call says, worked out once per call rather than once per event in its window. */
interface CallText {
  text: string;
  words: Set<string>;
}

/** What an event offers to match, worked out once per event however many calls' windows it lies in. */
interface EventText {
  opWords: string[];
  names: string[];
  actor: string;
}

const eventTexts = new WeakMap<CloudEvent, EventText>();
function eventText(e: CloudEvent): EventText {
  let t = eventTexts.get(e);
  if (!t) {
    t = { opWords: operationWords(e), names: resourceNames(e), actor: [e.actor.id, e.actor.displayName, e.actor.session ?? '', ...e.actor.delegation].join(' ').toLowerCase() };
    eventTexts.set(e, t);
  }
  return t;
}

export function callText(step: CorrelationStep): CallText {
  const said = `${step.tool ?? step.name} ${step.arguments ?? ''}`;
  return { text: said.toLowerCase(), words: new Set(wordsOf(said).map(stem)) };
}

function reasonsFor(t: ToolContext, call: CallText, e: CloudEvent, destructiveCall: boolean): CorrelationReason[] | null {
  const start = t.step.startMs - BEFORE_MS;
  const end = (t.step.endMs ?? t.step.startMs) + AFTER_MS;
  if (e.timeMs < start || e.timeMs > end) return null;
  const reasons: CorrelationReason[] = ['time'];
  const ev = eventText(e);
  if (ev.opWords.length && ev.opWords.every((w) => call.words.has(w))) reasons.push('operation');
  if (ev.names.some((n) => containsToken(call.text, n))) reasons.push('resource');
  if (t.identities.some((v) => ev.actor.includes(v))) reasons.push('identity');
  const named = reasons.includes('operation') || reasons.includes('resource');
  // Time and identity alone tie only a destructive call to a destructive event that came after the call began (to the
  // second, CloudTrail's resolution): anything else is too common to mean much.
  const after = e.timeMs >= Math.floor(t.step.startMs / 1000) * 1000;
  if (!named && !(reasons.includes('identity') && destructiveCall && e.activity === 'delete' && after)) return null;
  return reasons;
}

export function confidenceOf(reasons: CorrelationReason[]): CorrelatedEvent['confidence'] {
  const score = (reasons.includes('operation') ? 2 : 0) + (reasons.includes('resource') ? 2 : 0) + (reasons.includes('identity') ? 1 : 0);
  return score >= 4 ? 'high' : score >= 2 ? 'medium' : 'low';
}

/** Each tool call's cloud events, strongest first; and the destructive cloud events no tool call explains. */
export function correlate<S extends CorrelationStep>(
  tools: readonly (ToolContext & { step: S; destructive: boolean })[],
  events: readonly CloudEvent[],
): { links: Map<S, CorrelatedEvent[]>; unexplained: UnexplainedCloudEvent[] } {
  const links = new Map<S, CorrelatedEvent[]>();
  const explained = new Set<CloudEvent>();
  const rank = { high: 0, medium: 1, low: 2 } as const;
  // Each call looks only at the events inside its window: a binary search in time order, not every event per call.
  const sorted = [...events].sort((a, b) => a.timeMs - b.timeMs);
  const firstAtOrAfter = (ms: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as CloudEvent).timeMs < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const t of tools) {
    const found: Array<{ e: CloudEvent; reasons: CorrelationReason[]; confidence: CorrelatedEvent['confidence'] }> = [];
    const call = callText(t.step);
    const last = (t.step.endMs ?? t.step.startMs) + AFTER_MS;
    for (let k = firstAtOrAfter(t.step.startMs - BEFORE_MS); k < sorted.length && (sorted[k] as CloudEvent).timeMs <= last; k++) {
      const e = sorted[k] as CloudEvent;
      const reasons = reasonsFor(t, call, e, t.destructive);
      if (!reasons) continue;
      explained.add(e);
      found.push({ e, reasons, confidence: confidenceOf(reasons) });
    }
    // Strongest first, then in time order; only the links a call keeps become objects (a polling call can match hundreds).
    found.sort((a, b) => rank[a.confidence] - rank[b.confidence] || a.e.timeMs - b.e.timeMs);
    links.set(
      t.step,
      found.slice(0, MAX_LINKS_PER_CALL).map(({ e, reasons, confidence }) => ({ cloud: e.cloud, eventID: e.eventId, eventTime: e.time, operation: e.operation, principal: e.actor.id, reasons, confidence })),
    );
  }
  const unexplained = events
    .filter((e) => e.activity === 'delete' && e.status !== 'failure' && !explained.has(e))
    .map((e) => ({ cloud: e.cloud, eventID: e.eventId, eventTime: e.time, operation: e.operation, principal: e.actor.id, resources: e.resources }));
  return { links, unexplained };
}
