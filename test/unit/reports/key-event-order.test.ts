import { describe, expect, it } from 'vitest';
import { cloudTrailKeyEvents, earliest } from '../../../electron/core/case/cloudtrail-facts';
import type { BlastRadius, FindingsSummary, FirstDestructive } from '../../../electron/shared/cloudtrail';

const call = (eventID: string, eventTime: string, eventName: string): FirstDestructive => ({
  eventID,
  eventTime,
  eventSource: 'rds.amazonaws.com',
  eventName,
  errorCode: null,
  resources: [],
  principalArn: 'arn:aws:iam::111122223333:role/agent',
});

function summary(calls: FirstDestructive[]): FindingsSummary {
  const agent = { agentIdentity: 'agent', principals: [], calls: calls.length, firstDestructive: calls } as unknown as BlastRadius;
  return {
    incidentId: 'INC-1',
    events: calls.length,
    firstEventTime: calls[0]?.eventTime ?? null,
    lastEventTime: calls.at(-1)?.eventTime ?? null,
    agentIdentities: ['agent'],
    findings: [],
    counts: {} as FindingsSummary['counts'],
    principals: 1,
    agents: [agent],
    automation: [],
    collections: [],
    monitoring: [],
  };
}

describe('the key destructive event is the earliest instant, never the earliest text', () => {
  it('orders sub-second times as instants: 00.100Z comes after 00Z, and 00.050Z before both later ones', () => {
    // As text, '2026-03-01T10:00:00.100Z' sorts before '2026-03-01T10:00:00Z' ('.' < 'Z'); as instants it is later.
    const times = ['2026-03-01T10:00:00.100Z', '2026-03-01T10:00:00Z', '2026-03-01T10:00:01Z'];
    expect(earliest(times, (t) => t)).toBe('2026-03-01T10:00:00Z');
    expect(earliest(['2026-03-01T10:00:00.900Z', '2026-03-01T10:00:00.050Z'], (t) => t)).toBe('2026-03-01T10:00:00.050Z');
  });

  it('takes ModifyDBInstance before DeleteDBInstance when milliseconds say so, whatever order they arrive in', () => {
    const s = summary([call('b', '2026-03-01T10:00:00.400Z', 'DeleteDBInstance'), call('a', '2026-03-01T10:00:00.120Z', 'ModifyDBInstance')]);
    const { destructive } = cloudTrailKeyEvents(s);
    expect(destructive.at).toBe('2026-03-01T10:00:00.120Z');
    expect(destructive.detail).toMatch(/^rds\.amazonaws\.com ModifyDBInstance .*Then 1 other destructive call: .*DeleteDBInstance/);
    expect(destructive.detail).not.toMatch(/same (second|instant)/);
  });

  it('keeps the analysis order for calls in one whole second and says the log cannot tell which came first', () => {
    const s = summary([call('z', '2026-03-01T10:00:00Z', 'DeleteDBInstance'), call('a', '2026-03-01T10:00:00Z', 'DeleteDBCluster')]);
    const { destructive } = cloudTrailKeyEvents(s);
    // Not the alphabetical event id 'a': the first as the analysis listed it.
    expect(destructive.detail).toMatch(/^rds\.amazonaws\.com DeleteDBInstance .*\(event z\)\. 1 other destructive call fell in the same second; the log cannot say which came first\./);
  });
});
