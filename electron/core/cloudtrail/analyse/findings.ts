import type { CloudTrailFinding, FindingKind, ScanReport } from '../../../shared/cloudtrail';
import { plural } from '../../../shared/plural';
import { isAwsService } from './analyzer';

/** A finding as the analysis states it; `key` identifies it across re-analyses, so it is recorded once. */
export interface FindingDraft {
  key: string;
  kind: FindingKind;
  severity: CloudTrailFinding['severity'];
  title: string;
  principalArn: string | null;
  agentIdentity: string | null;
  attack: string[];
  firstAt: string | null;
  lastAt: string | null;
  detail: Record<string, unknown>;
  eventIds: string[];
}

const service = (eventSource: string) => eventSource.replace('.amazonaws.com', '');

/** Turns an analysis into findings: high-risk calls (attempts apart), machine cadence, automation, movement, firsts. */
export function deriveFindings(r: ScanReport): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const h of r.highRisk) {
    const failed = h.errorCode !== null;
    const who = h.agent ? `agent ${h.agentIdentity}` : (r.byPrincipal[h.principalArn]?.label ?? h.principalArn);
    out.push({
      key: `high-risk:${h.eventID}`,
      kind: failed ? 'high-risk-attempt' : 'high-risk',
      severity: failed ? (h.agent ? 'high' : 'medium') : h.agent ? 'critical' : 'high',
      title: `${failed ? 'Attempted: ' : ''}${h.rules.map((x) => x.title).join('; ')} (${service(h.eventSource)}:${h.eventName} by ${who}${failed ? `, ${h.errorCode}` : ''})`,
      principalArn: h.principalArn,
      agentIdentity: h.agentIdentity,
      attack: h.attack,
      firstAt: h.eventTime,
      lastAt: h.eventTime,
      detail: {
        eventSource: h.eventSource,
        eventName: h.eventName,
        awsRegion: h.awsRegion,
        rules: h.rules,
        resources: h.resources,
        errorCode: h.errorCode,
        burst: h.burst,
        firstTime: h.firstTime,
        sourceIPAddress: h.sourceIPAddress,
        userAgent: h.userAgent,
      },
      eventIds: [h.eventID],
    });
  }
  for (const p of Object.values(r.byPrincipal)) {
    const c = p.cadence;
    if (isAwsService(p.type, p.userAgents)) continue;
    if (c.verdict === 'machine' || (p.agent && c.verdict === 'mixed')) {
      const top = c.bursts.find((b) => b.machine);
      out.push({
        key: `machine-cadence:${p.principalArn}`,
        kind: 'machine-cadence',
        severity: p.agent ? 'high' : 'medium',
        title: `Machine-speed activity by ${p.agent ? `agent ${p.agentIdentities.join(', ')}` : p.label}: ${c.callsInMachineBursts} of ${plural(c.calls, 'call')} in ${plural(c.machineBursts, 'burst')}`,
        principalArn: p.principalArn,
        agentIdentity: p.agentIdentities[0] ?? null,
        attack: [],
        firstAt: p.firstSeen,
        lastAt: p.lastSeen,
        detail: { cadence: { ...c, bursts: c.bursts.slice(0, 5) }, largestBurst: top ?? null },
        eventIds: [],
      });
    }
    if (p.automation.likely) {
      out.push({
        key: `automation:${p.principalArn}`,
        kind: 'automation',
        severity: 'low',
        title: `${p.label} is not a declared agent but behaves like automation`,
        principalArn: p.principalArn,
        agentIdentity: null,
        attack: [],
        firstAt: p.firstSeen,
        lastAt: p.lastSeen,
        detail: { reasons: p.automation.reasons, userAgents: p.userAgents, calls: p.calls, writes: p.writes },
        eventIds: [],
      });
    }
  }
  // A destructive call that is already a high-risk finding is not found a second time as "First X".
  const found = new Set(r.highRisk.map((h) => h.eventID));
  for (const a of r.agents) {
    for (const f of a.firstDestructive) {
      if (found.has(f.eventID)) continue;
      out.push({
        key: `first-destructive:${a.agentIdentity}:${f.eventSource}:${f.eventName}`,
        kind: 'first-destructive',
        severity: f.errorCode ? 'medium' : 'high',
        title: `First ${service(f.eventSource)}:${f.eventName} by agent ${a.agentIdentity}${f.errorCode ? ` (failed: ${f.errorCode})` : ''}`,
        principalArn: f.principalArn,
        agentIdentity: a.agentIdentity,
        attack: [],
        firstAt: f.eventTime,
        lastAt: f.eventTime,
        detail: { ...f },
        eventIds: [f.eventID],
      });
    }
    for (const m of a.movement) {
      out.push({
        key: `movement:${a.agentIdentity}:${m.start}`,
        kind: 'movement',
        severity: 'medium',
        title: `Agent ${a.agentIdentity} crossed ${m.services.length} services${m.regions.length > 1 ? ` and ${m.regions.length} regions` : ''} between ${m.start} and ${m.end}`,
        principalArn: null,
        agentIdentity: a.agentIdentity,
        attack: [],
        firstAt: m.start,
        lastAt: m.end,
        detail: { ...m },
        eventIds: [],
      });
    }
  }
  return out;
}
