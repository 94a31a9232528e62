import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditVerification, Checkpoint, PhaseCloseResult, Settings } from '../../../electron/shared/checkpoints';
import type { LedgerEntry } from '../../../electron/shared/domain';
import { call, testCore } from '../../helpers/core';
import { type IncidentFixture, openIncident } from '../../helpers/incident';
import { startLocalTsa } from '../../helpers/local-tsa';
import { rechainDatabase } from '../../helpers/rechain';
import { tempDir } from '../../helpers/temp';
import { readTimeStampToken, timeStampDigest } from '../../../electron/core/trust/timestamp';

/** Checkpoints through the Api on a real SQLite file, signed with the operator's own key, stamped by a local openssl TSA. */
describe('ledger checkpoints', () => {
  let fx: IncidentFixture;
  let tsaDir: ReturnType<typeof tempDir>;
  let tsa: Awaited<ReturnType<typeof startLocalTsa>>;

  beforeAll(async () => {
    tsaDir = tempDir('firebreak-cp-tsa-');
    tsa = await startLocalTsa(tsaDir.path);
  });
  afterAll(async () => {
    await tsa.close();
    tsaDir.cleanup();
  });
  beforeEach(async () => {
    fx = await openIncident({ at: '2026-03-02T10:00:00Z' });
    tsa.setMode({ kind: 'honest' });
  });
  afterEach(() => fx.close());

  const close = (phaseId = 'containment') => call<PhaseCloseResult>(fx.core, 'workflow.closePhase', { id: fx.id, phaseId, override: 'tested without the gate' });
  const verify = () => call<AuditVerification>(fx.core, 'audit.verify', { scope: fx.id });
  const entries = () => call<LedgerEntry[]>(fx.core, 'audit.entries', { scope: fx.id });
  const keysInit = () => call(fx.core, 'keys.init', { name: 'Dana Reyes', role: 'IR lead' });

  it('signs a checkpoint right after a phase close, pinning the close and the system chain', async () => {
    await keysInit();
    const r = await close();
    const cp = r.checkpoint?.checkpoint as Checkpoint;
    expect(r.checkpointProblem).toBeNull();
    expect(r.checkpoint?.notes).toEqual([]);
    expect(cp.signature?.fingerprint).toMatch(/^SHA256:/);
    const log = await entries();
    const closed = log.find((e) => e.action === 'phase.closed-with-override') as LedgerEntry;
    expect(cp.incident).toEqual({ scope: fx.id, seq: closed.seq, head: closed.hash });
    expect(log[closed.seq]).toMatchObject({ seq: closed.seq + 1, action: 'checkpoint.signed', subject: cp.id });
    const system = await call<LedgerEntry[]>(fx.core, 'audit.entries', { scope: 'system' });
    expect(cp.system.seq).toBe(system.length);
    expect(cp.body).toContain(`Ledger of ${fx.id}: entry ${closed.seq}, hash ${closed.hash}\n`);
    const v = await verify();
    expect(v.ok).toBe(true);
    expect(v.checkpoints).toEqual([{ id: cp.id, ok: true, signed: true, timeStamped: false, problem: null }]);
  });

  it('records an unsigned checkpoint when the operator has no key, says so, and audit verify reports it unsigned', async () => {
    const r = await close();
    expect(r.incident.phase).not.toBe('containment');
    expect(r.checkpoint?.checkpoint.signature).toBeNull();
    expect(r.checkpoint?.notes.join('\n')).toMatch(/not signed: Dana Reyes \(IR lead\) has no key of their own here; run firebreak keys init/);
    expect((await entries()).at(-1)?.action).toBe('checkpoint.unsigned');
    const v = await verify();
    expect(v.ok).toBe(true);
    expect(v.checkpoints?.[0]).toMatchObject({ ok: true, signed: false });
  });

  it('time-stamps the checkpoint bytes at the configured TSA; a TSA that fails leaves it signed, unstamped, and the close done', async () => {
    await keysInit();
    const s = await call<Settings>(fx.core, 'settings.set', { key: 'tsa-url', value: tsa.url });
    expect(s['tsa-url']).toBe(tsa.url);
    expect((await call<LedgerEntry[]>(fx.core, 'audit.entries', { scope: 'system' })).at(-1)).toMatchObject({ action: 'settings.changed', subject: 'tsa-url' });

    const stamped = (await close('containment')).checkpoint?.checkpoint as Checkpoint;
    const token = Buffer.from(stamped.timeStamp?.tokenBase64 ?? '', 'base64');
    expect(readTimeStampToken(token).digest.equals(timeStampDigest(stamped.body))).toBe(true);

    tsa.setMode({ kind: 'http', status: 503 });
    const r = await close('detection-analysis');
    expect(r.phases.find((p) => p.id === 'detection-analysis')?.status).toBe('closed');
    expect(r.checkpoint?.checkpoint.signature).not.toBeNull();
    expect(r.checkpoint?.checkpoint.timeStamp).toBeNull();
    expect(r.checkpoint?.notes.join('\n')).toMatch(/not time-stamped: The time-stamping authority at .* answered HTTP 503/);
    const v = await verify();
    expect(v.ok).toBe(true);
    expect(v.checkpoints?.map((c) => c.timeStamped)).toEqual([true, false]);
  });

  it('makes checkpoints asked for at once one after the other, each with its own id', async () => {
    await keysInit();
    await call(fx.core, 'settings.set', { key: 'tsa-url', value: tsa.url });
    const made = await Promise.all([1, 2, 3].map(() => call<{ checkpoint: Checkpoint }>(fx.core, 'audit.checkpoint', { id: fx.id })));
    expect(made.map((m) => m.checkpoint.id).sort()).toEqual(['CP-000001', 'CP-000002', 'CP-000003']);
    const v = await verify();
    expect(v.ok).toBe(true);
    expect(v.checkpoints?.every((c) => c.ok && c.signed && c.timeStamped)).toBe(true);
  });

  it('refuses a TSA setting that is not an http(s) URL, naming it', async () => {
    const r = await fx.core.call('settings.set', { key: 'tsa-url', value: 'ftp://tsa.example' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/tsa-url: "ftp:\/\/tsa.example" must be an http or https URL/);
  });

  it('fails audit verify, naming the checkpoint, when the local ledger is rewritten whole with its head', async () => {
    await keysInit();
    const cp = (await close()).checkpoint?.checkpoint as Checkpoint;
    fx.core.close();
    rechainDatabase(fx.dataDir, fx.id, 1, (e) => ({ ...e, actor: 'Mallory' }));
    const reopened = testCore(fx.dataDir);
    const v = await call<AuditVerification>(reopened, 'audit.verify', { scope: fx.id });
    reopened.close();
    expect(v.ok).toBe(false);
    // The chain itself holds: only the signed checkpoint shows the rewrite.
    expect(v.entries).toBeGreaterThan(cp.incident.seq);
    expect(v.firstBroken?.reason).toMatch(new RegExp(`^checkpoint ${cp.id}: the ${fx.id} ledger at entry ${cp.incident.seq} is not the one it pinned`));
  });
});
