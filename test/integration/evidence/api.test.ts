import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, openCore } from '../../../electron/core/core';
import type { Operation } from '../../../electron/shared/contract/index';
import type { CustodyEvent, EvidenceItem, EvidenceManifest, EvidenceVerification, IntakeProgress } from '../../../electron/shared/evidence';
import { REPO, type Workspace, makeWorkspace } from './helpers';

let w: Workspace;
let core: Core;
beforeEach(() => {
  w = makeWorkspace();
  core = openCore({ dataDir: w.dataDir, resourcesDir: REPO, mode: 'electron', version: 'test', operator: { name: 'Dana Reyes', role: 'IR lead' } });
});
afterEach(() => {
  core.close();
  w.cleanup();
});

async function value<T>(method: string, input: unknown): Promise<T> {
  const r = await core.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message} ${(r.error.details ?? []).join('; ')}`);
  return r.value as T;
}

describe('the evidence Api, as the UI calls it', () => {
  it('adds from paths, lists with custody, links, notes, verifies and exports', async () => {
    const a = join(w.root, 'a.txt');
    const b = join(w.root, 'b.txt');
    writeFileSync(a, 'alpha');
    writeFileSync(b, 'bravo');
    const added = await value<EvidenceItem[]>('evidence.addFromPaths', { incidentId: w.incidentId, paths: [a, b], description: 'from the host' });
    expect(added.map((i) => i.name)).toEqual(['a.txt', 'b.txt']);
    await value<EvidenceItem>('evidence.linkStep', { incidentId: w.incidentId, itemId: added[0]?.id, stepId: 'isolate-agent' });
    await value<CustodyEvent>('evidence.addNote', { incidentId: w.incidentId, itemId: added[0]?.id, text: 'Seen by Legal' });
    const v = await value<EvidenceVerification>('evidence.verify', { incidentId: w.incidentId });
    expect(v.ok).toBe(true);
    const m = await value<EvidenceManifest>('evidence.manifest', { incidentId: w.incidentId, format: 'sha256sums' });
    expect(m.items).toBe(2);
    const list = await value<EvidenceItem[]>('evidence.list', { incidentId: w.incidentId, withCustody: true });
    expect(list[0]?.linkedSteps).toEqual(['isolate-agent']);
    expect(list[0]?.custody?.map((e) => e.kind)).toEqual(['acquisition', 'link', 'note', 'verification', 'export']);
    expect(list[1]?.custody?.map((e) => e.kind)).toEqual(['acquisition', 'verification', 'export']);
    const custody = await value<CustodyEvent[]>('evidence.custody', { incidentId: w.incidentId, itemId: added[1]?.sha256.slice(0, 12) });
    expect(custody).toEqual(list[1]?.custody);
    const audit = await value<{ ok: boolean }>('audit.verify', { scope: w.incidentId });
    expect(audit.ok).toBe(true);
  });

  it('reports progress of a running intake and cancels it, leaving nothing', async () => {
    const big = join(w.root, 'big.bin');
    writeFileSync(big, randomBytes(96 * 1024 * 1024));
    const running = core.call('evidence.addFromPaths', { incidentId: w.incidentId, paths: [big], operationId: 'intake-0001' });
    let ops: Array<Operation<IntakeProgress>>;
    while (!(ops = await value<Array<Operation<IntakeProgress>>>('operations.list', {})).some((o) => (o.progress?.bytesDone ?? 0) > 0)) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(ops[0]).toMatchObject({ id: 'intake-0001', method: 'evidence.addFromPaths', incidentId: w.incidentId, progress: { bytesTotal: 96 * 1024 * 1024 } });
    expect(await value('operations.cancel', { operationId: 'intake-0001' })).toEqual({ cancelled: true });
    const r = await running;
    expect(r).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await value('evidence.list', { incidentId: w.incidentId })).toEqual([]);
    expect(await value('operations.cancel', { operationId: 'intake-0001' })).toEqual({ cancelled: false });
    expect(await value('operations.list', {})).toEqual([]);
  });

  it('turns legacy hashes on, recorded in the system ledger', async () => {
    expect(await value('evidence.settings', {})).toEqual({ legacyHashes: false });
    await value('evidence.setSettings', { legacyHashes: true });
    const f = join(w.root, 'x.txt');
    writeFileSync(f, 'x');
    const [item] = await value<EvidenceItem[]>('evidence.addFromPaths', { incidentId: w.incidentId, paths: [f] });
    expect(item?.md5).toBe('9dd4e461268c8034f5c8564e155c67a6');
    const system = await value<Array<{ action: string }>>('audit.entries', { scope: 'system' });
    expect(system.at(-1)?.action).toBe('evidence.settings-changed');
  });

  it('validates input and says who must be working', async () => {
    const bad = await core.call('evidence.manifest', { incidentId: w.incidentId, format: 'pdf' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    core.close();
    core = openCore({ dataDir: w.dataDir, resourcesDir: REPO, mode: 'browser', version: 'test' });
    const anonymous = await core.call('evidence.verify', { incidentId: w.incidentId });
    expect(anonymous).toMatchObject({ ok: false, error: { code: 'no-operator' } });
  });
});
