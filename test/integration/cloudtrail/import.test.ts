import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { importExports } from '../../../electron/core/cloudtrail/collect/importer';
import type { Core } from '../../../electron/core/core';
import type { AgentIdentities, CloudTrailFinding, EventSupport, FindingsSummary, TimelineEventDetail, TimelinePage } from '../../../electron/shared/cloudtrail';
import type { Incident, LedgerEntry } from '../../../electron/shared/domain';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { AGENT_ROLE_ARN, type CorpusManifest, generateCorpus } from '../../helpers/cloudtrail-corpus';
import { call, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-ct-import-');
let core: Core;
let manifest: CorpusManifest;
let incidentId: string;
const exportsDir = join(dir.path, 'exports');

beforeAll(async () => {
  manifest = generateCorpus({ dir: exportsDir, records: 20_000, recordsPerFile: 2000, seed: 3, agentHighRisk: 30 });
  core = testCore(join(dir.path, 'data'));
  incidentId = (await call<Incident>(core, 'incidents.create', { playbookId: 'agent-destructive-action', params: { agent_role_arn: AGENT_ROLE_ARN } })).id;
  const gz = readFileSync(manifest.files[3] as string);
  writeFileSync(join(exportsDir, 'truncated.json.gz'), gz.subarray(0, gz.length >> 1));
  writeFileSync(join(exportsDir, 'notes.json'), 'these are notes');
});
afterAll(() => {
  core.close();
  dir.cleanup();
});

const events = (filter: Record<string, unknown> = {}, offset = 0, limit = 100) => call<TimelinePage>(core, 'cloudtrail.events', { incidentId, filter, offset, limit });

describe('cloudtrail import and the timeline Api', () => {
  it('takes every file in as evidence, keeps what a bad file holds, and attaches the findings', async () => {
    const r = await call<Awaited<ReturnType<typeof importExports>>>(core, 'cloudtrail.import', { incidentId, paths: [exportsDir] });
    expect(r.collection.newRecords).toBe(manifest.records);
    expect(r.files.filter((f) => f.evidenceId)).toHaveLength(manifest.files.length + 2);
    expect(r.files.find((f) => f.path.endsWith('truncated.json.gz'))).toMatchObject({ status: 'partial', reason: expect.stringMatching(/truncated gzip/) });
    expect(r.files.find((f) => f.path.endsWith('notes.json'))).toMatchObject({ status: 'failed', reason: expect.stringMatching(/not JSON/) });
    const items = await call<EvidenceItem[]>(core, 'evidence.list', { incidentId });
    expect(items.filter((i) => i.sourceKind === 'cloudtrail-export')).toHaveLength(manifest.files.length + 2);
    const highRisk = r.findings.filter((f) => f.kind === 'high-risk' || f.kind === 'high-risk-attempt');
    expect(highRisk).toHaveLength(Object.values(manifest.highRisk).reduce((a, b) => a + b, 0));
    expect(highRisk.filter((f) => f.kind === 'high-risk-attempt')).toHaveLength(manifest.highRiskFailed);
    expect(r.findings.every((f) => f.phase === 'detection-analysis')).toBe(true);
    expect((await call<{ ok: boolean }>(core, 'audit.verify', { scope: incidentId })).ok).toBe(true);
  });

  it('imports the same files again without duplicating events or findings', async () => {
    const before = await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId });
    const r = await call<Awaited<ReturnType<typeof importExports>>>(core, 'cloudtrail.import', { incidentId, paths: manifest.files.slice(0, 2) });
    expect(r.collection.newRecords).toBe(0);
    expect(r.newFindings).toBe(0);
    const after = await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId });
    expect(after.events).toBe(before.events);
    expect(after.findings.length).toBe(before.findings.length);
  });

  it('pages and filters the timeline on the server', async () => {
    const all = await events({}, 0, 50);
    expect(all.total).toBe(manifest.records);
    expect(all.events).toHaveLength(50);
    const times = all.events.map((e) => e.eventTime);
    expect([...times].sort()).toEqual(times);
    const last = await events({}, manifest.records - 10, 50);
    expect(last.events).toHaveLength(10);
    const risky = await events({ highRiskOnly: true }, 0, 1000);
    expect(risky.total).toBe(Object.values(manifest.highRisk).reduce((a, b) => a + b, 0));
    expect(risky.events.every((e) => e.highRisk && e.attack.length > 0 && e.findingIds.length > 0)).toBe(true);
    expect((await events({ errorsOnly: true, highRiskOnly: true })).total).toBe(manifest.highRiskFailed);
    expect((await events({ agentOnly: true })).total).toBe(manifest.agentCalls);
    const rds = await events({ service: 'rds', agentOnly: true });
    expect(rds.events.every((e) => e.service === 'rds' && e.agentIdentity === AGENT_ROLE_ARN)).toBe(true);
    const alice = await events({ principal: 'arn:aws:iam::111122223333:user/alice' });
    expect(alice.total).toBeGreaterThan(0);
    expect((await events({ text: 'PurgeQueue' })).total).toBe(manifest.highRisk['sqs-purge-queue']);
    expect((await events({ agentOnly: true, service: 'sts' })).events.some((e) => e.burst)).toBe(true);
    const facets = await call<{ principals: Array<{ agent: boolean }>; services: unknown[] }>(core, 'cloudtrail.facets', { incidentId });
    expect(facets.principals.some((p) => p.agent)).toBe(true);
    const bad = await core.call('cloudtrail.events', { incidentId, limit: 5000 });
    expect(bad.ok).toBe(false);
  });

  it('shows an event in full and lets a responder mark it as supporting a finding', async () => {
    const risky = (await events({ highRiskOnly: true })).events[0];
    const detail = await call<TimelineEventDetail>(core, 'cloudtrail.event', { incidentId, eventId: risky?.eventID });
    expect(detail.rules.length).toBeGreaterThan(0);
    expect((detail.record as { eventID: string }).eventID).toBe(risky?.eventID);
    expect(detail.evidenceIds).toHaveLength(1);

    const finding = (await call<CloudTrailFinding[]>(core, 'cloudtrail.findings', { incidentId })).find((f) => f.kind === 'high-risk') as CloudTrailFinding;
    const context = (await events({ agentOnly: true, service: 'ec2' })).events[0]?.eventID as string;
    const marked = await call<EventSupport[]>(core, 'cloudtrail.markSupport', { incidentId, eventId: context, findingId: finding.id, note: 'agent enumerated instances just before' });
    expect(marked).toEqual([expect.objectContaining({ findingId: finding.id, markedBy: 'Dana Reyes', note: 'agent enumerated instances just before' })]);
    expect((await events({ text: context })).events[0]?.findingIds).toEqual([finding.id]);
    await call(core, 'cloudtrail.markSupport', { incidentId, eventId: context, findingId: finding.id, remove: true });
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: incidentId });
    const marks = ledger.filter((e) => e.action.startsWith('cloudtrail.support-'));
    expect(marks.map((e) => [e.action, e.initiator, e.subject])).toEqual([
      ['cloudtrail.support-marked', 'human', finding.id],
      ['cloudtrail.support-removed', 'human', finding.id],
    ]);
    const missing = await core.call('cloudtrail.markSupport', { incidentId, eventId: context, findingId: 'CTF-999999' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('re-attributes calls when the agent identities change', async () => {
    const before = (await events({ agentOnly: true })).total;
    const summary = await call<FindingsSummary>(core, 'cloudtrail.setAgents', { incidentId, identities: ['alice'] });
    expect(summary.agentIdentities).toEqual(['alice', AGENT_ROLE_ARN]);
    const agents = await call<AgentIdentities>(core, 'cloudtrail.agents', { incidentId });
    expect(agents).toMatchObject({ set: ['alice'], fromParams: [AGENT_ROLE_ARN] });
    const aliceCalls = (await events({ principal: 'arn:aws:iam::111122223333:user/alice' })).total;
    expect((await events({ agentOnly: true })).total).toBe(before + aliceCalls);
    expect(summary.agents.map((a) => a.agentIdentity)).toEqual(['alice', AGENT_ROLE_ARN]);
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: incidentId });
    expect(ledger.filter((e) => e.action === 'cloudtrail.agents-set').map((e) => e.initiator)).toEqual(['human']);
    expect(ledger.at(-1)).toMatchObject({ action: 'cloudtrail.analysed', initiator: 'automated' });
    // Taking the identity away again clears exactly its calls (one set-based update, both ways).
    await call<FindingsSummary>(core, 'cloudtrail.setAgents', { incidentId, identities: [] });
    expect((await events({ agentOnly: true })).total).toBe(before);
    expect((await events({ agentOnly: true, principal: 'arn:aws:iam::111122223333:user/alice' })).total).toBe(0);
  });
});
