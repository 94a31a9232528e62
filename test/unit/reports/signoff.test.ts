import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectPath } from '../../../electron/core/evidence/store';
import { signatureHolds } from '../../../electron/core/case/signature-check';
import { parseRequest } from '../../../electron/core/kernel/signoff-request-file';
import { captureBaseline, serializeManifest } from '../../../electron/core/validation/baseline/baseline';
import { compareSummaryLine, compareWithBaseline } from '../../../electron/core/validation/baseline/compare';
import { ValidationRunRepository } from '../../../electron/core/validation/runs/runs-repository';
import { timeline } from '../../../electron/core/workflow/timeline';
import type { LedgerEntry } from '../../../electron/shared/domain';
import type { SignOffRequestBody } from '../../../electron/shared/signoff';
import { signOn } from '../../helpers/signers';
import { call } from '../../helpers/core';
import { perTest } from '../../helpers/incident';
import { fakeAdapter } from '../validation/fake-adapter';
import { addEvidence, backAttestations, openReportsIncident, recordCompare } from './support';

/** The production database the playbook's compare step names: the one affected data store of these incidents. */
const PRODUCTION = 'postgres://firebreak@orders-db.internal:5432/orders';

describe('sign-off', () => {
  const t = perTest(() => openReportsIncident('2026-05-12T14:00:00Z'));

  const sign = (role: string, name: string, override?: string) => t.sign({ id: t.id, role, name, ...(override ? { override } : {}) });
  const body = (s: { statement: unknown }) => s.statement as SignOffRequestBody;
  const ledger = () => call<LedgerEntry[]>(t.core, 'audit.entries', { scope: t.id });

  /** A compare run that ended (or not) without a result, as the runner records failures, cancellations and live runs. */
  function recordRun(incidentId: string, status: 'failed' | 'cancelled' | 'running', at: string, o: { error?: string } = {}): string {
    const repo = new ValidationRunRepository(t.core.context.db);
    const run = repo.insert({ incidentId, kind: 'compare', target: PRODUCTION, engine: 'postgresql', baselineRunId: null, options: {}, startedAt: at, startedBy: { name: 'Dana Reyes', role: 'IR lead' } });
    if (status !== 'running') repo.finish(run.id, { status, finishedAt: at, error: o.error ?? null });
    return run.id;
  }

  /** A real compare (of an unchanged database) stored as the runner stores it: verdict, summary and the result document. */
  async function recordRealCompare(incidentId: string, capture: { tables?: string[] }): Promise<string> {
    const tables = {
      'public.actor': { rows: 200, checksum: 'aaaaaaaaaaaaaaaa' },
      'public.film': { rows: 1000, checksum: 'bbbbbbbbbbbbbbbb' },
      'public.rental': { rows: 16044, checksum: 'cccccccccccccccc' },
      'public.store': { rows: 2, checksum: 'eeeeeeeeeeeeeeee' },
    };
    const result = await compareWithBaseline(fakeAdapter(tables), await captureBaseline(fakeAdapter(tables), capture), { now: () => t.clock.now });
    const body = serializeManifest(result);
    const repo = new ValidationRunRepository(t.core.context.db);
    const run = repo.insert({ incidentId, kind: 'compare', target: PRODUCTION, engine: 'postgresql', baselineRunId: null, options: {}, startedAt: t.clock.now.toISOString(), startedBy: { name: 'Dana Reyes', role: 'IR lead' } });
    repo.finish(run.id, {
      status: 'done',
      finishedAt: t.clock.now.toISOString(),
      verdict: result.match ? 'match' : 'mismatch',
      summary: compareSummaryLine(result),
      result: body,
      resultSha256: createHash('sha256').update(body).digest('hex'),
    });
    return run.id;
  }

  it('lists the three recovery attestations and IR lead, CISO and Legal as signers', async () => {
    const [recovery, residual] = await t.mine('signoff.status', { id: t.id });
    expect(recovery).toMatchObject({ stepId: 'reinstatement-sign-off', phaseId: 'recovery', complete: false });
    expect(recovery?.attestations.map((a) => a.id)).toEqual(['data-restored-and-validated', 'policy-peer-reviewed', 'destructive-call-alerting-tested']);
    expect(recovery?.signers.map((s) => s.role)).toEqual(['IR lead', 'CISO', 'Legal']);
    expect(residual?.stepId).toBe('residual-risk-sign-off');
  });

  it('fails closed with no comparison and no evidence, naming everything missing', async () => {
    const r = await sign('IR lead', 'Dana Reyes').catch((e: { code: string; message: string; details: string[] }) => e);
    expect(r).toMatchObject({ code: 'gate-not-met', message: expect.stringMatching(/^IR lead cannot sign "Written sign-off before the agent returns to production" for IR-2026-\d+: the sign-off gate is not met\.$/) });
    const details = (r as { details: string[] }).details;
    expect(details[0]).toBe(`validation of ${PRODUCTION}: no comparison of this data store against a pre-incident baseline has been started`);
    expect(details).toEqual(expect.arrayContaining([expect.stringMatching(/^attestation data-restored-and-validated: no evidence linked/), expect.stringMatching(/^attestation destructive-call-alerting-tested: no evidence linked/)]));
    expect((await t.mine('signoff.status', { id: t.id }))[0]?.signOffs).toEqual([]);
    // Nothing was kept or recorded.
    expect((await call<LedgerEntry[]>(t.core, 'audit.entries', { scope: t.id })).some((e) => e.action.startsWith('signoff.signed'))).toBe(false);
  });

  it('stays shut while the latest comparison did not match, even with every attestation backed', async () => {
    await backAttestations(t, t.id);
    recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
    const mismatch = recordCompare(t.core, t.id, 'mismatch', '2026-05-12T10:00:00Z');
    const r = await sign('CISO', 'Morgan Lee').catch((e: { details: string[] }) => e);
    expect((r as { details: string[] }).details[0]).toMatch(new RegExp(`^validation of ${PRODUCTION}: the latest comparison \\(${mismatch}, .*\\) did not match the baseline: 2 of 15 tables differ`));
  });

  it('re-hashes the evidence before signing: a stored copy changed since its last check cannot back an attestation', async () => {
    await backAttestations(t, t.id);
    recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
    const item = (await t.mine('signoff.status', { id: t.id }))[0]?.attestations[1]?.evidence[0];
    expect(item?.status).toBe('intact');
    // The stored copy is changed on disk; the locker still records it as intact until it is hashed again.
    const stored = objectPath(t.dataDir, item?.sha256 as string);
    chmodSync(stored, 0o644);
    writeFileSync(stored, 'the policy review said something else\n');
    expect((await t.mine('signoff.status', { id: t.id }))[0]?.gate.met).toBe(true);
    const r = await sign('CISO', 'Morgan Lee').catch((e: { code: string; details: string[] }) => e);
    expect(r).toMatchObject({ code: 'gate-not-met' });
    expect((r as { details: string[] }).details).toContainEqual(expect.stringMatching(new RegExp(`^attestation policy-peer-reviewed: no intact evidence \\(${item?.id} is modified\\)`)));
    const [recovery] = await t.mine('signoff.status', { id: t.id });
    expect(recovery?.gate.met).toBe(false);
    expect(recovery?.signOffs).toEqual([]);
    // The re-hash is on the record as the operator's verification.
    const verified = (await ledger()).filter((e) => e.action === 'evidence.verified');
    expect(verified.at(-1)).toMatchObject({ actor: 'Dana Reyes', payload: { ok: false, modified: 1 } });
  });

  it('trusts the stored copy, not the recorded status: evidence marked modified whose copy hashes as recorded backs an attestation', async () => {
    await backAttestations(t, t.id);
    recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
    const item = (await t.mine('signoff.status', { id: t.id }))[0]?.attestations[1]?.evidence[0];
    t.core.context.db.prepare("UPDATE evidence_items SET status = 'modified' WHERE id = ?").run(item?.id);
    expect((await t.mine('signoff.status', { id: t.id }))[0]?.gate.missing).toContainEqual(expect.stringMatching(/^attestation policy-peer-reviewed: no intact evidence/));
    const s = await sign('CISO', 'Morgan Lee');
    expect(s.override).toBeNull();
    expect(body(s).attestations[1]?.evidence).toEqual([{ id: item?.id, name: item?.name, sha256: item?.sha256, status: 'intact' }]);
  });

  describe('every affected data store needs its own match', () => {
    const ORDERS = 'postgres://firebreak@orders-db.internal:5432/orders';
    const BILLING = 'mysql://root@billing-db.internal:3306/billing';
    function run(kind: 'baseline' | 'compare', target: string, verdict: 'captured' | 'match' | 'mismatch', baselineRunId: string | null): string {
      const repo = new ValidationRunRepository(t.core.context.db);
      const r = repo.insert({ incidentId: t.id, kind, target, engine: target.startsWith('mysql') ? 'mysql' : 'postgresql', baselineRunId, options: {}, startedAt: t.clock.now.toISOString(), startedBy: { name: 'Dana Reyes', role: 'IR lead' } });
      repo.finish(r.id, { status: 'done', finishedAt: t.clock.now.toISOString(), verdict, summary: `${kind} ${verdict}` });
      return r.id;
    }

    it('stays shut when one of two baselined stores mismatched, whichever was compared last, and the statement names each store', async () => {
      await backAttestations(t, t.id);
      const ordersBase = run('baseline', ORDERS, 'captured', null);
      const billingBase = run('baseline', BILLING, 'captured', null);
      const bad = run('compare', ORDERS, 'mismatch', ordersBase);
      // The same database, spelled with another scheme alias and a password-free user: one store, not two.
      const spelled = 'mysql://auditor@Billing-DB.internal/billing';
      const good = run('compare', spelled, 'match', billingBase);
      const [recovery] = await t.mine('signoff.status', { id: t.id });
      expect(recovery?.gate.met).toBe(false);
      expect(recovery?.gate.stores.map((s) => [s.store?.label, s.runId, s.status])).toEqual([
        [ORDERS, bad, 'mismatch'],
        [spelled, good, 'match'],
      ]);
      expect(recovery?.gate.missing).toEqual([expect.stringMatching(new RegExp(`^validation of ${ORDERS}: the latest comparison \\(${bad}, .*\\) did not match`))]);
      const refused = await sign('CISO', 'Morgan Lee').catch((e: { code: string }) => e);
      expect(refused).toMatchObject({ code: 'gate-not-met' });
      const s = await sign('CISO', 'Morgan Lee', 'Orders drift is in audit_log only; ticket DBA-2291');
      expect(body(s).gate.stores.map((x) => x.runId)).toEqual([bad, good]);
      expect(s.statement.statement).toContain(`${ORDERS} (${bad}: mismatch); ${spelled} (${good}: match)`);
    });

    it('the incident and sign-off reports (JSON, Markdown, HTML) list every store with its newest compare', async () => {
      const ordersBase = run('baseline', ORDERS, 'captured', null);
      const billingBase = run('baseline', BILLING, 'captured', null);
      const bad = run('compare', ORDERS, 'mismatch', ordersBase);
      const good = run('compare', BILLING, 'match', billingBase);
      const exported = async (kind: 'incident' | 'signoff', format: 'json' | 'md' | 'html') =>
        (await t.mine('reports.export', { id: t.id, kind, format, save: false })).content;
      const model = JSON.parse(await exported('incident', 'json')) as { summary: { overview: string }; validation: { stores: Array<{ runId: string; status: string }> } };
      expect(model.validation.stores.map((s) => [s.runId, s.status])).toEqual([
        [bad, 'mismatch'],
        [good, 'match'],
      ]);
      expect(model.summary.overview).toContain(`per affected data store: ${ORDERS} did NOT match (${bad}); ${BILLING} matched (${good}).`);
      for (const format of ['md', 'html'] as const) {
        const incident = await exported('incident', format);
        expect(incident).toContain(`${ORDERS}: ${bad} did NOT match the baseline`);
        expect(incident).toContain(`${BILLING}: ${good} matched the baseline`);
        const signoff = await exported('signoff', format);
        expect(signoff).toMatch(new RegExp(`Database validation, per affected data store: ${ORDERS}: ${bad} did NOT match the baseline \\([^)]*\\); ${BILLING}: ${good} matched`));
      }
    });

    it('counts a baselined store nothing was compared against as affected, and opens once every store matches', async () => {
      await backAttestations(t, t.id);
      const billingBase = run('baseline', BILLING, 'captured', null);
      recordCompare(t.core, t.id, 'match', '2026-05-12T10:00:00Z');
      const gate = async () => (await t.mine('signoff.status', { id: t.id }))[0]?.gate;
      expect((await gate())?.missing).toEqual([`validation of ${BILLING}: no comparison of this data store against a pre-incident baseline has been started`]);
      run('compare', BILLING, 'match', billingBase);
      expect(await gate()).toMatchObject({ met: true, missing: [] });
    });
  });

  describe('the validation gate looks at the newest compare, whatever became of it', () => {
    it('stays shut after an older match when the newest compare failed, was cancelled or has not finished', async () => {
      await backAttestations(t, t.id);
      recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
      expect((await t.mine('signoff.status', { id: t.id }))[0]?.gate.met).toBe(true);

      const failed = recordRun(t.id, 'failed', '2026-05-12T09:00:00Z', { error: 'postgres://firebreak@restore-scratch.internal:5432/orders: connection refused' });
      let [recovery] = await t.mine('signoff.status', { id: t.id });
      expect(recovery?.gate).toMatchObject({ met: false, validation: { status: 'not-proven', runId: failed, runStatus: 'failed' } });
      expect(recovery?.gate.missing[0]).toBe(
        `validation of ${PRODUCTION}: the latest comparison (${failed}, 2026-05-12T09:00:00Z) proves nothing: it failed: postgres://firebreak@restore-scratch.internal:5432/orders: connection refused; an earlier match does not stand in for it. Compare again`,
      );
      const r = await sign('CISO', 'Morgan Lee').catch((e: { code: string; details: string[] }) => e);
      expect(r).toMatchObject({ code: 'gate-not-met', details: expect.arrayContaining([expect.stringMatching(new RegExp(`^validation of ${PRODUCTION}: the latest comparison \\(${failed}, .*\\) proves nothing: it failed`))]) });

      const cancelled = recordRun(t.id, 'cancelled', '2026-05-12T10:00:00Z', { error: 'cancelled' });
      [recovery] = await t.mine('signoff.status', { id: t.id });
      expect(recovery?.gate.validation).toMatchObject({ status: 'not-proven', runId: cancelled, runStatus: 'cancelled', detail: 'it was cancelled' });

      // Still running here, or cut off by a restart (a running row no process owns): not proven either.
      const running = recordRun(t.id, 'running', '2026-05-12T11:00:00Z');
      [recovery] = await t.mine('signoff.status', { id: t.id });
      expect(recovery?.gate.validation).toMatchObject({ status: 'not-proven', runId: running, runStatus: 'running', comparedAt: '2026-05-12T11:00:00Z' });
      expect(recovery?.gate.missing[0]).toMatch(/has not finished \(it is still running, or Firebreak was closed while it ran\)/);

      // A newer compare that matches opens it again.
      recordCompare(t.core, t.id, 'match', '2026-05-12T12:00:00Z');
      expect((await t.mine('signoff.status', { id: t.id }))[0]?.gate.met).toBe(true);
    });

    it('stays shut on a compare of chosen tables only, naming the tables left out; an override records them', async () => {
      await backAttestations(t, t.id);
      const partial = await recordRealCompare(t.id, { tables: ['actor', 'film'] });
      const [recovery] = await t.mine('signoff.status', { id: t.id });
      expect(recovery?.gate.validation).toMatchObject({ status: 'partial', runId: partial, notCompared: ['public.rental', 'public.store'] });
      expect(recovery?.gate.missing).toEqual([
        `validation of ${PRODUCTION}: the latest comparison (${partial}, 2026-05-12T14:00:00.000Z) does not cover the whole database: the baseline covered only the tables chosen at capture; 2 tables were not compared: public.rental, public.store. Capture a baseline of every table and compare again, or sign with an override that says why the rest need not be compared`,
      ]);
      await expect(sign('CISO', 'Morgan Lee')).rejects.toMatchObject({ code: 'gate-not-met' });
      const s = await sign('CISO', 'Morgan Lee', 'rental and store are rebuilt from the event stream; ticket DBA-2291');
      expect(body(s).gate.validation).toMatchObject({ status: 'partial', notCompared: ['public.rental', 'public.store'] });
      expect(s.override?.waived).toEqual([expect.stringMatching(/does not cover the whole database: .*public\.rental, public\.store/)]);
      const entry = (await ledger()).find((e) => e.seq === s.ledgerSeq);
      expect(entry).toMatchObject({ action: 'signoff.signed-with-override', payload: { validation: { status: 'partial', runId: partial } } });
    });

    it('opens on a stored compare that covered every table, and fails closed when the stored result was changed', async () => {
      await backAttestations(t, t.id);
      const full = await recordRealCompare(t.id, {});
      expect((await t.mine('signoff.status', { id: t.id }))[0]?.gate).toMatchObject({ met: true, validation: { status: 'match', runId: full } });
      t.core.context.db.prepare(`UPDATE validation_runs SET result = replace(result, '"complete": true', '"complete": true ') WHERE id = ?`).run(full);
      const [recovery] = await t.mine('signoff.status', { id: t.id });
      expect(recovery?.gate).toMatchObject({ met: false, validation: { status: 'partial', detail: expect.stringMatching(/its stored result no longer matches its evidence hash/) } });
    });
  });

  it('refuses a request the gate changed under: a failed compare lands between the request and its signature', async () => {
    await backAttestations(t, t.id);
    const compare = recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
    const morgan = await t.machine({ name: 'Morgan Lee', role: 'CISO' });
    const req = await t.mine('signoff.request', { id: t.id, role: 'CISO' });
    // Morgan signs on their machine; meanwhile the compare fails.
    const landed = recordRun(t.id, 'failed', '2026-05-12T13:59:00Z', { error: 'connection reset' });
    const r = await t.mine('signoff.import', { id: t.id, signature: signOn(morgan, req.text), request: req.text, requestName: req.fileName }).catch((e: { code: string; message: string; details: string[] }) => e);
    expect(r).toMatchObject({
      code: 'check-failed',
      message: `${req.fileName} (${req.id}) is out of date: the incident changed since it was made, so the signature does not cover the record as it is; nothing was recorded.`,
      details: [
        'the sign-off gate was met and now is not met',
        `validation of postgres://firebreak@orders-db.internal:5432/orders: was match (${compare}), now not-proven (${landed})`,
        `Make a new request (firebreak signoff request ${t.id} --role "CISO" --out FILE) and have it signed again.`,
      ],
    });
    // Nothing was signed: no record, no signoff.signed entry; a new request is refused by the gate as it now is.
    expect((await t.mine('signoff.status', { id: t.id }))[0]?.signOffs).toEqual([]);
    expect((await ledger()).some((e) => e.action.startsWith('signoff.signed'))).toBe(false);
    expect((await t.mine('signoff.requests', { id: t.id }))[0]).toMatchObject({ id: req.id, state: 'stale', changes: expect.arrayContaining(['the sign-off gate was met and now is not met']) });
    await expect(sign('CISO', 'Morgan Lee')).rejects.toMatchObject({ code: 'gate-not-met' });
  });

  it('refuses too when the gate opens after a request with an override: the statement would waive what is no longer missing', async () => {
    await backAttestations(t, t.id);
    const sam = await t.machine({ name: 'Sam Ortiz', role: 'Legal' });
    const req = await t.mine('signoff.request', { id: t.id, role: 'Legal', override: 'DBA-2291' });
    expect(req.body.override).toMatchObject({ justification: 'DBA-2291' });
    recordCompare(t.core, t.id, 'match', '2026-05-12T13:59:00Z');
    await expect(t.mine('signoff.import', { id: t.id, signature: signOn(sam, req.text), request: req.text })).rejects.toMatchObject({
      code: 'check-failed',
      details: expect.arrayContaining(['the sign-off gate was not met and now is met']),
    });
    const s = await sign('Legal', 'Sam Ortiz', 'DBA-2291');
    expect(s.override).toBeNull();
  });

  it('records the operator as the ledger actor and the signer in the payload and the statement', async () => {
    await backAttestations(t, t.id);
    recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
    // Dana Reyes (IR lead) is at the keyboard; Morgan Lee (CISO) signs.
    expect(t.core.context.human()).toMatchObject({ name: 'Dana Reyes', role: 'IR lead' });
    const s = await sign('CISO', 'Morgan Lee');
    expect(s).toMatchObject({ role: 'CISO', name: 'Morgan Lee', scheme: 'sshsig', signer: { principal: 'morgan-lee@ciso', enrolledBy: { name: 'Dana Reyes', role: 'IR lead' } } });
    expect(s.statement.statement).toMatch(/^I, signing as CISO with my enrolled key, attest that:/);
    const entries = await ledger();
    const entry = entries.find((e) => e.seq === s.ledgerSeq);
    expect(entry).toMatchObject({ action: 'signoff.signed', actor: 'Dana Reyes', actorRole: 'IR lead', initiator: 'human', payload: { name: 'Morgan Lee', role: 'CISO', enrolment: s.signer?.enrolmentId } });
    // The signed report kept as evidence is in custody as the operator's acquisition too.
    expect(entries.find((e) => e.action === 'evidence.acquired' && e.subject === s.reportEvidenceId)).toMatchObject({ actor: 'Dana Reyes', actorRole: 'IR lead' });
    const line = timeline(entries).find((t) => t.seq === s.ledgerSeq);
    expect(`${line?.actor} (${line?.actorRole}): ${line?.summary}`).toMatch(/^Dana Reyes \(IR lead\): Morgan Lee signed "Written sign-off before the agent returns to production" as CISO/);
  });

  it('signs when the gate is met: SSHSIG over the request, the request, signature and pinned report kept as evidence', async () => {
    await backAttestations(t, t.id);
    const compare = recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
    const s = await sign('CISO', 'Morgan Lee');
    expect(s).toMatchObject({ id: 'SO-000001', role: 'CISO', name: 'Morgan Lee', signedAt: '2026-05-12T14:00:00.000Z', override: null, custody: `the signer's own key, enrolled as ${s.signer?.enrolmentId}` });
    expect(s.statement.statement).toMatch(/^I, signing as CISO with my enrolled key, attest that: \(1\) All affected data stores have been restored/);
    const b = parseRequest(s.statementJson);
    expect(b).toMatchObject({ request: s.request?.id, role: 'CISO', gate: { met: true, validation: { status: 'match', runId: compare } }, report: { sha256: s.reportSha256 } });
    expect(b.attestations.every((a) => a.evidence.length === 1)).toBe(true);
    expect(s.fingerprint).toMatch(/^SHA256:/);
    expect(s.signature).toMatch(/^-----BEGIN SSH SIGNATURE-----/);
    expect(signatureHolds(s)).toBe(true);
    expect(signatureHolds({ ...s, statementJson: s.statementJson.replace('attest', 'atest') })).toBe(false);
    // The request pinned the ledger as it stood: its head is the entry before the request's own.
    const entries = await ledger();
    const requested = entries.find((e) => e.action === 'signoff.requested');
    expect(b.ledger).toEqual({ scope: t.id, seq: (requested?.seq ?? 0) - 1, head: entries.find((e) => e.seq === (requested?.seq ?? 0) - 1)?.hash });
    expect(s.request).toMatchObject({ ledgerSeq: b.ledger.seq, ledgerHead: b.ledger.head });
    // The report the request named is in the evidence store under its own content hash; so are the request and its .sig.
    const signed = readFileSync(objectPath(t.dataDir, s.reportSha256));
    expect(createHash('sha256').update(signed).digest('hex')).toBe(s.reportSha256);
    expect(JSON.parse(signed.toString('utf8'))).toMatchObject({ kind: 'incident', incident: { id: t.id } });
    const items = await t.mine('signoff.status', { id: t.id });
    expect(items[0]?.signOffs[0]?.request?.evidenceId).toMatch(/^EV-/);
    expect(readFileSync(objectPath(t.dataDir, createHash('sha256').update(s.statementJson).digest('hex')), 'utf8')).toBe(s.statementJson);
    const entry = entries.find((e) => e.seq === s.ledgerSeq);
    expect(entry).toMatchObject({ action: 'signoff.signed', actor: 'Dana Reyes', actorRole: 'IR lead', payload: { signature: s.signature, fingerprint: s.fingerprint, scheme: 'sshsig', request: s.request?.id } });
  });

  it("makes no key for anyone but the operator: each signer's key is on their own machine, Morgan's and Sam's differ", async () => {
    await backAttestations(t, t.id);
    recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
    expect(await t.mine('signoff.signerKey', { role: 'CISO', name: 'Morgan Lee' })).toEqual({ role: 'CISO', name: 'Morgan Lee', fingerprint: null, enrolmentId: null });
    const a = await sign('CISO', 'Morgan Lee');
    const b = await sign('Legal', 'Sam Ortiz');
    expect(a.fingerprint).not.toBe(b.fingerprint);
    // Nothing in the operator's data directory holds a private key of either.
    expect(existsSync(join(t.dataDir, 'signing-keys'))).toBe(false);
    expect(existsSync(join(t.dataDir, 'keys')) ? readdirSync(join(t.dataDir, 'keys')) : []).toEqual([]);
    expect(await t.mine('signoff.signerKey', { role: 'ciso', name: 'Morgan Lee' })).toMatchObject({ fingerprint: null });
    // Countersigning: Legal signed the report as it stood, the CISO's signature already in it.
    const legalReport = JSON.parse(readFileSync(objectPath(t.dataDir, b.reportSha256), 'utf8')) as { signOffs: { records: Array<{ id: string }> } };
    expect(legalReport.signOffs.records.map((r) => r.id)).toEqual([a.id]);
    const [recovery] = await t.mine('signoff.status', { id: t.id });
    expect(recovery?.signers.map((x) => x.signOff?.name ?? null)).toEqual([null, 'Morgan Lee', 'Sam Ortiz']);
    await sign('IR lead', 'Dana Reyes');
    expect((await t.mine('signoff.status', { id: t.id }))[0]?.complete).toBe(true);
  });

  it('refuses a second signature by the same role and a role that does not sign', async () => {
    await backAttestations(t, t.id);
    recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
    await sign('CISO', 'Morgan Lee');
    await expect(sign('CISO', 'Someone Else')).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/^CISO already signed .* Morgan Lee on 2026-05-12T14:00:00.000Z \(SO-000001\)\.$/) });
    await expect(sign('Investigator', 'Kim')).rejects.toMatchObject({ code: 'bad-input', details: ['Signers: IR lead, CISO, Legal'] });
    await expect(t.mine('signoff.sign', { id: t.id, role: 'CISO', name: '  ' })).rejects.toThrow(/Name is required/);
    await expect(t.mine('signoff.request', { id: t.id, role: 'CISO' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('signs with an override: the justification and what was waived are in the statement, the ledger and every report', async () => {
    const evidence = await addEvidence(t.core, t.id, 'restore-validation.json', '{"tables":15}');
    await t.mine('signoff.linkEvidence', { id: t.id, attestationId: 'data-restored-and-validated', itemId: evidence.id });
    const s = await sign('CISO', 'Morgan Lee', 'Restore validated by the DBA team outside Firebreak; ticket DBA-2291');
    expect(s.override?.justification).toBe('Restore validated by the DBA team outside Firebreak; ticket DBA-2291');
    expect(s.override?.waived).toEqual(expect.arrayContaining([expect.stringMatching(/^validation of postgres:\/\/firebreak@orders-db.internal:5432\/orders: no comparison/), expect.stringMatching(/^attestation policy-peer-reviewed: no evidence linked/)]));
    expect(s.statement.statement).toMatch(/I sign although the sign-off gate is not met, because: Restore validated by the DBA team/);
    const entry = (await call<LedgerEntry[]>(t.core, 'audit.entries', { scope: t.id })).find((e) => e.seq === s.ledgerSeq);
    expect(entry).toMatchObject({ action: 'signoff.signed-with-override', payload: { justification: s.override?.justification } });
    const md = await t.mine('reports.export', { id: t.id, kind: 'signoff', format: 'md', save: false });
    expect(md.content).toContain('> **OVERRIDE: Written sign-off before the agent returns to production (CISO)** by Morgan Lee (CISO)');
    expect(md.content).toContain('Justification: Restore validated by the DBA team outside Firebreak; ticket DBA-2291');
    const html = await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'html', save: false });
    expect(html.content).toMatch(/<span class="label">OVERRIDE<\/span><strong>Written sign-off before the agent returns to production \(CISO\)<\/strong>/);
  });
});
