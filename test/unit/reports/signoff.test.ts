import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../../electron/core/evidence/store';
import { statementBytes, verifySignature } from '../../../electron/core/signoff/signature';
import type { LedgerEntry } from '../../../electron/shared/domain';
import { call } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';
import { type ReportsCore, addEvidence, backAttestations, newIncident, recordCompare, reportsCore } from './support';

describe('sign-off', () => {
  let dir: ReturnType<typeof tempDir>;
  let rc: ReportsCore;
  let id: string;
  let now: Date;

  beforeEach(async () => {
    dir = tempDir();
    now = new Date('2026-05-12T14:00:00Z');
    rc = reportsCore(dir.path, { now: () => now });
    id = await newIncident(rc.core);
  });
  afterEach(() => {
    rc.close();
    dir.cleanup();
  });

  const sign = (role: string, name: string, override?: string) =>
    rc.mine('signoff.sign', { id, role, name, ...(override ? { override } : {}) });

  it('lists the three recovery attestations and IR lead, CISO and Legal as signers', async () => {
    const [recovery, residual] = await rc.mine('signoff.status', { id });
    expect(recovery).toMatchObject({ stepId: 'reinstatement-sign-off', phaseId: 'recovery', complete: false });
    expect(recovery?.attestations.map((a) => a.id)).toEqual(['data-restored-and-validated', 'policy-peer-reviewed', 'destructive-call-alerting-tested']);
    expect(recovery?.signers.map((s) => s.role)).toEqual(['IR lead', 'CISO', 'Legal']);
    expect(residual?.stepId).toBe('residual-risk-sign-off');
  });

  it('fails closed with no comparison and no evidence, naming everything missing', async () => {
    const r = await sign('IR lead', 'Dana Reyes').catch((e: { code: string; message: string; details: string[] }) => e);
    expect(r).toMatchObject({ code: 'gate-not-met', message: expect.stringMatching(/^IR lead cannot sign "Written sign-off before the agent returns to production" for IR-2026-\d+: the sign-off gate is not met\.$/) });
    const details = (r as { details: string[] }).details;
    expect(details[0]).toBe('validation: no comparison of the restored data against a pre-incident baseline has finished');
    expect(details).toEqual(expect.arrayContaining([expect.stringMatching(/^attestation data-restored-and-validated: no evidence linked/), expect.stringMatching(/^attestation destructive-call-alerting-tested: no evidence linked/)]));
    expect((await rc.mine('signoff.status', { id }))[0]?.signOffs).toEqual([]);
    // Nothing was kept or recorded.
    expect((await call<LedgerEntry[]>(rc.core, 'audit.entries', { scope: id })).some((e) => e.action.startsWith('signoff.signed'))).toBe(false);
  });

  it('stays shut while the latest comparison did not match, even with every attestation backed', async () => {
    await backAttestations(rc, id);
    recordCompare(rc.core, id, 'match', '2026-05-11T10:00:00Z');
    const mismatch = recordCompare(rc.core, id, 'mismatch', '2026-05-12T10:00:00Z');
    const r = await sign('CISO', 'Morgan Lee').catch((e: { details: string[] }) => e);
    expect((r as { details: string[] }).details[0]).toMatch(new RegExp(`^validation: the latest comparison \\(${mismatch}, .*\\) did not match the baseline: 2 of 15 tables differ`));
  });

  it('refuses evidence that is no longer intact', async () => {
    await backAttestations(rc, id);
    recordCompare(rc.core, id, 'match', '2026-05-11T10:00:00Z');
    const item = (await rc.mine('signoff.status', { id }))[0]?.attestations[1]?.evidence[0];
    rc.core.context.db.prepare("UPDATE evidence_items SET status = 'modified' WHERE id = ?").run(item?.id);
    const r = await sign('CISO', 'Morgan Lee').catch((e: { details: string[] }) => e);
    expect((r as { details: string[] }).details).toContainEqual(expect.stringMatching(new RegExp(`^attestation policy-peer-reviewed: no intact evidence \\(${item?.id} is modified\\)`)));
  });

  it('signs when the gate is met: Ed25519 over the canonical statement, the signed report kept as evidence', async () => {
    await backAttestations(rc, id);
    const compare = recordCompare(rc.core, id, 'match', '2026-05-11T10:00:00Z');
    const s = await sign('ir-lead', 'Dana Reyes');
    expect(s).toMatchObject({ id: 'SO-000001', role: 'IR lead', name: 'Dana Reyes', signedAt: '2026-05-12T14:00:00.000Z', override: null });
    expect(s.statement.statement).toMatch(/^I, Dana Reyes \(IR lead\), attest that: \(1\) All affected data stores have been restored/);
    expect(s.statement.validation).toMatchObject({ status: 'match', runId: compare });
    expect(s.statement.attestations.every((a) => a.evidence.length === 1)).toBe(true);
    expect(s.statementJson).toBe(statementBytes(s.statement).toString('utf8'));
    expect(verifySignature(Buffer.from(s.statementJson), Buffer.from(s.signature, 'base64'), s.publicKeyPem)).toBe(true);
    expect(verifySignature(Buffer.from(s.statementJson.replace('Dana', 'Dina')), Buffer.from(s.signature, 'base64'), s.publicKeyPem)).toBe(false);
    // The report the signer signed is in the evidence store under its own content hash.
    const signed = readFileSync(objectPath(dir.path, s.reportSha256));
    expect(createHash('sha256').update(signed).digest('hex')).toBe(s.reportSha256);
    expect(JSON.parse(signed.toString('utf8'))).toMatchObject({ kind: 'incident', incident: { id } });
    const entry = (await call<LedgerEntry[]>(rc.core, 'audit.entries', { scope: id })).find((e) => e.seq === s.ledgerSeq);
    expect(entry).toMatchObject({ action: 'signoff.signed', actor: 'Dana Reyes', actorRole: 'IR lead', payload: { signature: s.signature, fingerprint: s.fingerprint } });
  });

  it('keeps one key per signer, created on first use, private key mode 0600, its fingerprint shown before signing', async () => {
    await backAttestations(rc, id);
    recordCompare(rc.core, id, 'match', '2026-05-11T10:00:00Z');
    expect(await rc.mine('signoff.signerKey', { role: 'CISO', name: 'Morgan Lee' })).toEqual({ role: 'CISO', name: 'Morgan Lee', fingerprint: null });
    const a = await sign('CISO', 'Morgan Lee');
    const b = await sign('Legal', 'Sam Ortiz');
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(await rc.mine('signoff.signerKey', { role: 'ciso', name: 'Morgan Lee' })).toMatchObject({ fingerprint: a.fingerprint });
    const keyFiles = readdirSync(join(dir.path, 'signing-keys')).filter((f) => f.endsWith('.key'));
    expect(keyFiles).toHaveLength(2);
    for (const f of keyFiles) expect(statSync(join(dir.path, 'signing-keys', f)).mode & 0o777).toBe(0o600);
    // Countersigning: Legal signed the report as it stood, the CISO's signature already in it.
    const legalReport = JSON.parse(readFileSync(objectPath(dir.path, b.reportSha256), 'utf8')) as { signOffs: { records: Array<{ id: string }> } };
    expect(legalReport.signOffs.records.map((r) => r.id)).toEqual([a.id]);
    const [recovery] = await rc.mine('signoff.status', { id });
    expect(recovery?.signers.map((x) => x.signOff?.name ?? null)).toEqual([null, 'Morgan Lee', 'Sam Ortiz']);
    await sign('IR lead', 'Dana Reyes');
    expect((await rc.mine('signoff.status', { id }))[0]?.complete).toBe(true);
  });

  it('refuses a second signature by the same role and a role that does not sign', async () => {
    await backAttestations(rc, id);
    recordCompare(rc.core, id, 'match', '2026-05-11T10:00:00Z');
    await sign('CISO', 'Morgan Lee');
    await expect(sign('CISO', 'Someone Else')).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/^CISO already signed .* Morgan Lee on 2026-05-12T14:00:00.000Z \(SO-000001\)\.$/) });
    await expect(sign('Investigator', 'Kim')).rejects.toMatchObject({ code: 'bad-input', details: ['Signers: IR lead, CISO, Legal'] });
    await expect(rc.mine('signoff.sign', { id, role: 'CISO', name: '  ' })).rejects.toThrow(/Name is required/);
  });

  it('signs with an override: the justification and what was waived are in the statement, the ledger and every report', async () => {
    const evidence = await addEvidence(rc.core, id, 'restore-validation.json', '{"tables":15}');
    await rc.mine('signoff.linkEvidence', { id, attestationId: 'data-restored-and-validated', itemId: evidence.id });
    const s = await sign('CISO', 'Morgan Lee', 'Restore validated by the DBA team outside Firebreak; ticket DBA-2291');
    expect(s.override?.justification).toBe('Restore validated by the DBA team outside Firebreak; ticket DBA-2291');
    expect(s.override?.waived).toEqual(expect.arrayContaining([expect.stringMatching(/^validation: no comparison/), expect.stringMatching(/^attestation policy-peer-reviewed: no evidence linked/)]));
    expect(s.statement.statement).toMatch(/I sign although the sign-off gate is not met, because: Restore validated by the DBA team/);
    const entry = (await call<LedgerEntry[]>(rc.core, 'audit.entries', { scope: id })).find((e) => e.seq === s.ledgerSeq);
    expect(entry).toMatchObject({ action: 'signoff.signed-with-override', payload: { justification: s.override?.justification } });
    const md = await rc.mine('reports.export', { id, kind: 'signoff', format: 'md', save: false });
    expect(md.content).toContain('> **OVERRIDE: Written sign-off before the agent returns to production (CISO)** by Morgan Lee (CISO)');
    expect(md.content).toContain('Justification: Restore validated by the DBA team outside Firebreak; ticket DBA-2291');
    const html = await rc.mine('reports.export', { id, kind: 'incident', format: 'html', save: false });
    expect(html.content).toMatch(/<span class="label">OVERRIDE<\/span><strong>Written sign-off before the agent returns to production \(CISO\)<\/strong>/);
  });
});
