import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../../electron/core/cloudtrail/model/cloud-event';
import { MAX_LINKS_PER_CALL, correlate } from '../../../electron/core/traces/correlate';

const T0 = Date.parse('2026-03-10T09:00:00Z');
const event = (i: number, operation: string, resource: string): CloudEvent => ({
  cloud: 'azure',
  eventId: `e-${i}`,
  time: new Date(T0 + 100 + i * 100).toISOString(),
  timeMs: T0 + 100 + i * 100,
  subSecond: true,
  account: 'sub',
  region: null,
  service: 'Microsoft.Compute',
  operation,
  activity: operation.endsWith('/delete') ? 'delete' : 'read',
  actor: { kind: 'service-principal', id: 'app-1', displayName: 'app-1', session: null, userAgent: null, sourceIp: null, delegation: [] },
  resources: [resource],
  status: 'success',
  errorCode: null,
  errorMessage: null,
  operationKey: null,
  raw: { file: 'f', position: i + 1 },
});

describe('correlate: a call that matches many like events', () => {
  it(`keeps its ${MAX_LINKS_PER_CALL} strongest links, the high one first, and leaves none of the matched deletions unexplained`, () => {
    const step = { startMs: T0, endMs: T0 + 1_000, tool: 'delete_disks', name: 'delete_disks', arguments: JSON.stringify({ disks: ['disk-39'] }) };
    // Forty disk deletions in the call's window; the call names only the last.
    const events = Array.from({ length: 40 }, (_, i) => event(i, 'Microsoft.Compute/disks/delete', `/subscriptions/sub/providers/Microsoft.Compute/disks/disk-${i}`));
    const { links, unexplained } = correlate([{ step, destructive: true, identities: [] }], events);
    const kept = links.get(step) ?? [];
    expect(kept).toHaveLength(MAX_LINKS_PER_CALL);
    expect(kept[0]).toEqual(expect.objectContaining({ eventID: 'e-39', confidence: 'high', reasons: ['time', 'operation', 'resource'] }));
    expect(kept.slice(1).map((l) => l.eventID)).toEqual(Array.from({ length: MAX_LINKS_PER_CALL - 1 }, (_, i) => `e-${i}`));
    expect(unexplained).toEqual([]);
  });
});
