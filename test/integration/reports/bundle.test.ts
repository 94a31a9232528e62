import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../electron/core/kernel/signature';
import { canonicalJson } from '../../../electron/core/ledger/canonical-json';
import { entryHash } from '../../../electron/core/ledger/ledger';
import { type BundleIndex, SUMS_VERIFY_COMMAND, reportPath, reviewerChecks } from '../../../electron/core/reports/bundle/layout';
import { verifyBundle } from '../../../electron/core/reports/bundle/verify-bundle';
import { writeBundle } from '../../../electron/core/reports/bundle/write-bundle';
import { renderHtml } from '../../../electron/core/reports/html/render-html';
import { renderMarkdown } from '../../../electron/core/reports/markdown';
import { oscalAssessmentResults, oscalPoam } from '../../../electron/core/reports/oscal-documents';
import { chromiumPdf } from '../../../electron/core/reports/pdf';
import type { LedgerEntry } from '../../../electron/shared/domain';
import type { BundleResult, GapReportModel, IncidentReportModel, ReportKind, ReportModel } from '../../../electron/shared/reports';
import { testOperator } from '../../helpers/core';
import { legacySignOff } from '../../helpers/signers';
import { sshKeygenEd25519, sshKeygenSign } from '../../helpers/ssh-keygen';
import { tempDir } from '../../helpers/temp';
import { type ReportsCore, addEvidence, backAttestations, newIncident, recordCompare, reportsCore } from '../../unit/reports/support';
import { extract, forge, forgeBundle, forgerKey, rewrite, writeZip, zipEntries } from './zip-tools';

const text = (files: Map<string, Buffer>, path: string) => (files.get(path) as Buffer).toString('utf8');
const setJson = (files: Map<string, Buffer>, path: string, value: unknown) => files.set(path, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));

/**
 * What a forger with Firebreak's source does to make a report say what they want: edit its JSON, then make every form
 * again (canonical JSON, HTML, Markdown, OSCAL from the gap analysis) and put the new content hash in bundle.json. The
 * PDF stays as it was: verify cannot re-render a PDF, only the signed SHA256SUMS covers it.
 */
function reforgeReport(files: Map<string, Buffer>, kind: ReportKind, edit: (json: string) => string): void {
  const model = JSON.parse(edit(text(files, reportPath(kind, 'json')))) as ReportModel;
  const json = canonicalJson(model);
  const hash = sha256Hex(json);
  files.set(reportPath(kind, 'json'), Buffer.from(json));
  files.set(reportPath(kind, 'html'), Buffer.from(renderHtml(model, hash)));
  files.set(reportPath(kind, 'md'), Buffer.from(renderMarkdown(model, hash)));
  const index = JSON.parse(text(files, 'bundle.json')) as BundleIndex;
  (index.reports.find((r) => r.kind === kind) as BundleIndex['reports'][number]).contentSha256 = hash;
  if (kind === 'gap') {
    for (const o of index.oscal) {
      o.fromContentSha256 = hash;
      files.set(o.file, Buffer.from(o.format === 'oscal-ar' ? oscalAssessmentResults(model as GapReportModel, hash) : oscalPoam(model as GapReportModel, hash)));
    }
  }
  setJson(files, 'bundle.json', index);
}

describe('case bundle', () => {
  let dir: ReturnType<typeof tempDir>;
  let rc: ReportsCore;
  let id: string;
  let bundle: BundleResult;
  /** Each signer's key fingerprint: Dana's legacy app-held key, Morgan's ssh-keygen key, Sam's Firebreak key. */
  const fp: Record<string, string> = {};
  const stages = new Set<string>();

  beforeAll(async () => {
    dir = tempDir();
    const now = new Date('2026-05-12T14:00:00Z');
    rc = reportsCore(dir.path, { now: () => now });
    id = await newIncident(rc.core);
    await addEvidence(rc.core, id, 'agent role snapshot.json', '{"RoleName":"ai-ops-agent","Policies":["s3:*","rds:*"]}', ['snapshot-iam-state']);
    await addEvidence(rc.core, id, 'cloudtrail-2026-04-30.json', '{"Records":[{"eventName":"DeleteDBInstance"}]}');
    await rc.mine('gap.assess', { id, controlId: 'AC-6', state: 'not-implemented', gap: 'The agent role held rds:* on production.', owner: 'Cloud platform lead', dueDate: '2026-05-31' });
    await backAttestations(rc, id);
    recordCompare(rc.core, id, 'match', '2026-05-11T10:00:00Z');
    // Dana Reyes signed before signers were enrolled, with a key the app held; Morgan Lee signs with an ssh-keygen key on
    // their machine, Sam Ortiz with the key Firebreak made on theirs.
    fp.dana = (await legacySignOff(rc.core, { id, role: 'IR lead', name: 'Dana Reyes' })).fingerprint;
    const morgan = sshKeygenEd25519(dir.path, 'morgan_ed25519', 'morgan@laptop');
    fp.morgan = (await rc.mine('signers.add', { name: 'Morgan Lee', role: 'CISO', publicKey: morgan.line })).fingerprint;
    const req = await rc.mine('signoff.request', { id, role: 'CISO' });
    writeFileSync(join(dir.path, req.fileName), req.text);
    const sig = sshKeygenSign(morgan.privatePath, join(dir.path, req.fileName), 'firebreak-signoff');
    await rc.mine('signoff.import', { id, signature: sig, request: req.text });
    fp.sam = (await rc.sign({ id, role: 'Legal', name: 'Sam Ortiz' })).fingerprint;
    const ctx = rc.core.context;
    bundle = await writeBundle(ctx, { pdf: () => chromiumPdf(), cloudtrail: undefined }, ctx.human(), id, {
      out: join(dir.path, 'case.zip'),
      version: 'test',
      onProgress: (stage) => stages.add(stage),
    });
  }, 120_000);
  afterAll(() => {
    rc.close();
    dir.cleanup();
  });

  it('holds reports, evidence, ledger, signatures, keys, SHA256SUMS and VERIFY.txt, and verifies', async () => {
    expect(bundle.problems).toEqual([]);
    expect([...stages]).toEqual(['reports', 'evidence', 'ledger', 'finishing']);
    const out = join(dir.path, 'x');
    await extract(bundle.path, out);
    const root = join(out, `${id}-case-bundle`);
    const files = readdirSync(root, { recursive: true }).map(String).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'SHA256SUMS',
        'SHA256SUMS.sig',
        'exporter.pem',
        'VERIFY.txt',
        'bundle.json',
        'ledger/ledger.jsonl',
        'evidence/manifest.json',
        'reports/incident-report.pdf',
        'reports/incident-report.html',
        'reports/gap-analysis.md',
        'reports/sign-off-report.json',
        'reports/oscal-assessment-results.json',
        'reports/oscal-poam.json',
        'allowed_signers',
        'signoffs/SO-000001/statement.json',
        'signoffs/SO-000001/signature.sig',
        'signoffs/SO-000001/signer.pem',
        'signoffs/SO-000002/request.txt',
        'signoffs/SO-000002/request.txt.sig',
        'signoffs/SO-000003/signed-report.json',
      ]),
    );
    expect(files.filter((f) => f.startsWith('signoffs/SO-000002/'))).toEqual(['signoffs/SO-000002/request.txt', 'signoffs/SO-000002/request.txt.sig', 'signoffs/SO-000002/signed-report.json']);
    expect(files.filter((f) => f.startsWith('evidence/files/'))).toContain('evidence/files/EV-000001-agent_role_snapshot.json');
    const v = await verifyBundle(bundle.path);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => c.name)).toEqual(['hashes', 'zip', 'exporter', 'ledger', 'reports', 'signatures', 'checkpoint', 'evidence']);
    // The fingerprints to compare out of band: the exporter's own key (made for Dana on her first export) and each signer's.
    const exporter = rc.keys.get(testOperator)?.fingerprint as string;
    expect(bundle.exporter).toEqual({ ...testOperator, fingerprint: exporter });
    expect(v.exporter).toEqual({ ...testOperator, fingerprint: exporter, verified: true });
    expect(v.signers).toEqual([
      { id: 'SO-000001', name: 'Dana Reyes', role: 'IR lead', fingerprint: fp.dana, verified: true, custody: 'firebreak' },
      { id: 'SO-000002', name: 'Morgan Lee', role: 'CISO', fingerprint: fp.morgan, verified: true, custody: 'signer' },
      { id: 'SO-000003', name: 'Sam Ortiz', role: 'Legal', fingerprint: fp.sam, verified: true, custody: 'signer' },
    ]);
    const detail = (name: string) => v.checks.find((c) => c.name === name)?.detail ?? '';
    expect(detail('exporter')).toMatch(new RegExp(`^SHA256SUMS signed by Dana Reyes \\(IR lead\\), key ${exporter}\n.*out of band`));
    expect(detail('signatures')).toMatch(/^3 signatures verified, each one the ledger recorded \(2 with the signer's own key, checked against allowed_signers\)/);
    expect(detail('signatures')).toContain(`SO-000001  Dana Reyes (IR lead)  ${fp.dana}  key held by Firebreak on the operator's machine`);
    expect(detail('signatures')).toMatch(new RegExp(`SO-000002  Morgan Lee \\(CISO\\)  ${fp.morgan?.replace(/[+/]/g, '\\$&')}  own key enrolled as SG-\\d+ \\(morgan-lee@ciso\\)`));
    expect(detail('reports')).toContain('3 PDFs covered only by the signed SHA256SUMS (a PDF cannot be re-rendered byte for byte)');
    expect(detail('evidence')).toMatch(/^\d+ evidence files match their SHA-256 in the manifest, the ledger's acquisition entries and 6 signed documents/);
  });

  it('VERIFY.txt commands work with sha256sum, openssl and ssh-keygen alone, exactly as written', async () => {
    const out = join(dir.path, 'reviewer');
    await extract(bundle.path, out);
    const root = join(out, `${id}-case-bundle`);
    const index = JSON.parse(readFileSync(join(root, 'bundle.json'), 'utf8')) as BundleIndex;
    const text = readFileSync(join(root, 'VERIFY.txt'), 'utf8');
    const checks = reviewerChecks(index);
    // The exporter's four, the legacy sign-off's three, four for each SSH one (signature, key, report, pinned entry), the reports'.
    expect(checks.length).toBe(4 + 3 + 2 * 4 + 3);
    expect(checks[7]).toEqual({
      title: expect.stringMatching(/^SO-000002: Morgan Lee \(CISO\) signed the request with the key enrolled for morgan-lee@ciso$/),
      command: 'ssh-keygen -Y verify -f allowed_signers -I morgan-lee@ciso -n firebreak-signoff -s signoffs/SO-000002/request.txt.sig < signoffs/SO-000002/request.txt',
      expect: `Good "firebreak-signoff" signature for morgan-lee@ciso with ED25519 key ${fp.morgan}`,
    });
    expect(checks[0]?.command).toBe(SUMS_VERIFY_COMMAND);
    expect(SUMS_VERIFY_COMMAND).toBe('openssl pkeyutl -verify -pubin -inkey exporter.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig');
    expect(checks[1]?.expect).toBe(`${bundle.exporter.fingerprint}  -`);
    // The trust anchor is said plainly, with every fingerprint; the overclaim is gone.
    expect(text).toContain('compare\neach fingerprint with one you obtained from that person out of band');
    expect(text).toContain(`  exporter   Dana Reyes (IR lead)  ${bundle.exporter.fingerprint}`);
    for (const s of index.signOffs) expect(text).toContain(`  ${s.id}  ${s.name} (${s.role})  ${s.fingerprint}`);
    expect(text).toContain(`  SO-000001  Dana Reyes (IR lead)  ${fp.dana}  (key held by Firebreak on the operator's machine)`);
    // The enrolment record after each key names the signer, role and fingerprint the reviewer compares.
    expect(readFileSync(join(root, 'allowed_signers'), 'utf8')).toMatch(new RegExp(`^morgan-lee@ciso namespaces="firebreak-signoff" ssh-ed25519 \\S+ firebreak-enrolment \\{"name":"Morgan Lee","role":"CISO","fingerprint":"${fp.morgan?.replace(/[+/]/g, '\\$&')}","enrolledBy":"Dana Reyes \\(IR lead\\)","enrolledAt":"[^"]+"\\}$`, 'm'));
    expect(text).not.toContain('is what the signers signed');
    expect(text).toContain('no signer signed them');
    for (const c of checks) {
      expect(text).toContain(`   ${c.command}\n   Expect: ${c.expect}`);
      const r = spawnSync('bash', ['-c', c.command], { cwd: root, encoding: 'utf8' });
      expect(r.status, `${c.command}: ${r.stderr}`).toBe(0);
      if (c.command.startsWith('sha256sum -c')) expect(r.stdout.trim().split('\n').every((l) => l.endsWith(': OK'))).toBe(true);
      else expect(r.stdout).toContain(c.expect);
    }
    // The optional jq walk of the ledger agrees with the chain.
    const jq = spawnSync('bash', ['-c', 'command -v jq'], { encoding: 'utf8' });
    if (jq.status === 0) {
      const script = text.slice(text.indexOf('prev='), text.indexOf('   Expect: entries:')).replace(/^ {3}/gm, '');
      const r = spawnSync('bash', ['-c', script], { cwd: root, encoding: 'utf8' });
      expect(r.stdout.trim()).toBe(`entries: ${index.ledger.entries}, head: ${index.ledger.headHash}, intact: yes`);
    }
    // A changed statement fails openssl's check.
    const first = index.signOffs[0] as BundleIndex['signOffs'][number];
    execFileSync('bash', ['-c', `sed -i 's/Dana Reyes/Dana Reyez/' ${first.statement}`], { cwd: root });
    const bad = spawnSync('bash', ['-c', reviewerChecks(index)[4]?.command ?? ''], { cwd: root, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('Signature Verification Failure');
    // So does a rewritten SHA256SUMS, against the exporter's signature.
    execFileSync('bash', ['-c', "sha256sum signoffs/SO-000001/statement.json > S && grep -v ' signoffs/SO-000001/statement.json$' SHA256SUMS >> S && mv S SHA256SUMS"], { cwd: root });
    const sums = spawnSync('bash', ['-c', SUMS_VERIFY_COMMAND], { cwd: root, encoding: 'utf8' });
    expect(sums.status).not.toBe(0);
    expect(sums.stdout).toContain('Signature Verification Failure');
    // A changed request fails ssh-keygen's check; so does a signature checked as another signer's.
    const ssh = reviewerChecks(index)[7]?.command ?? '';
    execFileSync('bash', ['-c', "sed -i 's/attest that/attest, maybe, that/' signoffs/SO-000002/request.txt"], { cwd: root });
    const changed = spawnSync('bash', ['-c', ssh], { cwd: root, encoding: 'utf8' });
    expect(changed.status).not.toBe(0);
    expect(spawnSync('bash', ['-c', ssh.replace('signoffs/SO-000002/request.txt.sig', 'signoffs/SO-000003/request.txt.sig').replace('< signoffs/SO-000002/', '< signoffs/SO-000003/')], { cwd: root, encoding: 'utf8' }).status).not.toBe(0);
  });

  const tampered = async (name: string, change: (path: string, bytes: Buffer) => Buffer | null) => {
    const path = join(dir.path, `${name}.zip`);
    await rewrite(bundle.path, path, change);
    return verifyBundle(path);
  };

  it('detects a changed report, naming it', async () => {
    const v = await tampered('report', (p, b) => (p === 'reports/incident-report.html' ? Buffer.from(b.toString('utf8').replace('did NOT match', 'matched').replace('Dana Reyes', 'Dan Reyes')) : b));
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.stringMatching(/^reports\/incident-report\.html: changed after the bundle was made/));
    // With SHA256SUMS rewritten to match, the exporter's signature over it fails...
    const html = (b: Buffer) => Buffer.from(b.toString('utf8').replace('Dana Reyes', 'Dan Reyes'));
    const unsigned = join(dir.path, 'report-unsigned.zip');
    await forge(bundle.path, unsigned, 'reports/incident-report.html', html);
    expect((await verifyBundle(unsigned)).problems).toEqual([
      'SHA256SUMS.sig: the signature does not verify over SHA256SUMS with exporter.pem (SHA256SUMS was changed after it was signed)',
      'reports/incident-report.html: does not say what reports/incident-report.json says (the HTML was changed)',
    ]);
    // ...and signed again with the forger's own key, the HTML still does not say what the JSON says.
    const forged = join(dir.path, 'report-forged.zip');
    await forge(bundle.path, forged, 'reports/incident-report.html', html, { signWith: forgerKey() });
    const f = await verifyBundle(forged);
    expect(f.problems).toEqual(['reports/incident-report.html: does not say what reports/incident-report.json says (the HTML was changed)']);
    // Changing the JSON breaks its content hash, which the signatures and VERIFY.txt name.
    const json = join(dir.path, 'json-forged.zip');
    await forge(bundle.path, json, 'reports/gap-analysis.json', (b) => Buffer.from(b.toString('utf8').replace('Cloud platform lead', 'Nobody')), { signWith: forgerKey() });
    expect((await verifyBundle(json)).problems).toContainEqual(expect.stringMatching(/^reports\/gap-analysis\.json: its SHA-256 [0-9a-f]{64} is not the report's content hash/));
  });

  it('detects a changed evidence file', async () => {
    const v = await tampered('evidence', (p, b) => (p === 'evidence/files/EV-000002-cloudtrail-2026-04-30.json' ? Buffer.from(b.toString('utf8').replace('DeleteDBInstance', 'DescribeDBInstances')) : b));
    expect(v.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^evidence\/files\/EV-000002-cloudtrail-2026-04-30\.json: changed after the bundle was made/),
        expect.stringMatching(/^evidence\/files\/EV-000002-cloudtrail-2026-04-30\.json: its SHA-256 [0-9a-f]{64} is not the recorded [0-9a-f]{64} \(EV-000002 was altered\)$/),
      ]),
    );
    const gone = await tampered('evidence-gone', (p, b) => (p.startsWith('evidence/files/EV-000001') ? null : b));
    expect(gone.problems).toContainEqual('evidence/files/EV-000001-agent_role_snapshot.json: missing');
  });

  it('detects a changed ledger line', async () => {
    const v = await tampered('ledger', (p, b) => {
      if (p !== 'ledger/ledger.jsonl') return b;
      const lines = b.toString('utf8').split('\n');
      lines[2] = (lines[2] as string).replace('"actor":"Dana Reyes"', '"actor":"Someone Else"');
      return Buffer.from(lines.join('\n'));
    });
    expect(v.problems).toContainEqual(expect.stringMatching(/^ledger\/ledger\.jsonl line 3 \(entry 3, [a-z.-]+\): its contents were changed after it was written/));
    const dropped = await tampered('ledger-tail', (p, b) => (p === 'ledger/ledger.jsonl' ? Buffer.from(b.toString('utf8').split('\n').slice(0, -3).join('\n') + '\n') : b));
    expect(dropped.problems).toContainEqual(expect.stringMatching(/^ledger\/ledger\.jsonl: \d+ entries, but the bundle was made with \d+ \(entries were removed or added\)$/));
  });

  it('detects a changed signature', async () => {
    const flip = (b: Buffer) => {
      const c = Buffer.from(b);
      c[10] = (c[10] as number) ^ 0x01;
      return c;
    };
    const v = await tampered('signature', (p, b) => (p === 'signoffs/SO-000001/signature.sig' ? flip(b) : b));
    expect(v.problems).toContainEqual(expect.stringMatching(/^signoffs\/SO-000001\/signature\.sig: changed after the bundle was made/));
    const forged = join(dir.path, 'sig-forged.zip');
    await forge(bundle.path, forged, 'signoffs/SO-000001/signature.sig', flip, { signWith: forgerKey() });
    const f = await verifyBundle(forged);
    expect(f.problems).toContainEqual('SO-000001 (Dana Reyes, IR lead): the signature in signoffs/SO-000001/signature.sig does not verify over signoffs/SO-000001/statement.json with signoffs/SO-000001/signer.pem');
    // An SSH signature with one base64 character changed no longer holds over the request.
    const sshFlip = (b: Buffer) => Buffer.from(b.toString('utf8').replace(/\n([A-Za-z0-9+/]{20})([A-Za-z0-9])/, (_m, a: string, c: string) => `\n${a}${c === 'A' ? 'B' : 'A'}`));
    const ssh = join(dir.path, 'sshsig-forged.zip');
    await forge(bundle.path, ssh, 'signoffs/SO-000002/request.txt.sig', sshFlip, { signWith: forgerKey() });
    expect((await verifyBundle(ssh)).problems).toContainEqual(expect.stringMatching(/^SO-000002: |^signoffs\/SO-000002\/request\.txt\.sig/));
    // A request whose readable part was changed: refused as edited, and the signature does not hold over it.
    const req = join(dir.path, 'request-forged.zip');
    await forge(bundle.path, req, 'signoffs/SO-000002/request.txt', (b) => Buffer.from(b.toString('utf8').replace('attest that', 'attest, maybe, that')), { signWith: forgerKey() });
    expect((await verifyBundle(req)).problems).toEqual(
      expect.arrayContaining([
        'signoffs/SO-000002/request.txt: its readable part does not say what its data says (the file was edited after Firebreak wrote it).',
        expect.stringMatching(/^SO-000002: signoffs\/SO-000002\/request\.txt\.sig does not hold over signoffs\/SO-000002\/request\.txt: the signature does not match the message/),
      ]),
    );
    // Another key enrolled in allowed_signers for the principal: the signature's key is not the enrolled one.
    const enrol = join(dir.path, 'enrolment-forged.zip');
    await forge(bundle.path, enrol, 'allowed_signers', (b) => Buffer.from(b.toString('utf8').replace(/^(morgan-lee@ciso namespaces="firebreak-signoff" ssh-ed25519 )\S+/m, (_m, p: string) => `${p}${sshKeygenEd25519(dir.path, 'mallory', 'm').line.split(' ')[1]}`)), { signWith: forgerKey() });
    expect((await verifyBundle(enrol)).problems).toContainEqual(expect.stringMatching(/^allowed_signers:\d+: its enrolment record names the fingerprint|^SO-000002: the key SHA256:\S+ that signed .* is not enrolled for morgan-lee@ciso in allowed_signers$/));
    // A statement re-signed with another key: the key is not the one the ledger and the statement recorded.
    const statement = await tampered('statement', (p, b) => (p === 'signoffs/SO-000001/statement.json' ? Buffer.from(b.toString('utf8').replace('Dana Reyes', 'Dana Reyez')) : b));
    expect(statement.problems).toContainEqual(expect.stringMatching(/^SO-000001 \(Dana Reyes, IR lead\): the signature .* does not verify/));
  });

  const evidenceFile = async (suffix: string) => {
    const found = (await zipEntries(bundle.path)).find(([n]) => n.endsWith(suffix));
    if (!found) throw new Error(`no ${suffix} in the bundle`);
    return { path: found[0].slice(found[0].indexOf('/') + 1), sha256: sha256Hex(found[1]) };
  };

  it('fails a swapped evidence file even when the manifest, the reports, bundle.json and SHA256SUMS are forged to match', async () => {
    // The attested restore validation: listed in the statements of all three signers and in the reports they signed.
    const ev = await evidenceFile('-restore-validation.json');
    const fake = Buffer.from('restore validation: all 15 tables match (FORGED)\n');
    const neu = sha256Hex(fake);
    const swap = (files: Map<string, Buffer>, rerender: boolean) => {
      const sub = (t: string) => t.split(ev.sha256).join(neu);
      files.set(ev.path, fake);
      files.set('evidence/manifest.json', Buffer.from(sub(text(files, 'evidence/manifest.json'))));
      for (const kind of ['incident', 'gap', 'signoff'] as const) {
        if (!text(files, reportPath(kind, 'json')).includes(ev.sha256)) continue;
        if (rerender) reforgeReport(files, kind, sub);
        else {
          // As /tmp/fbreview/t3.ts did: patch the hash everywhere and claim another rendering, to skip the re-render.
          for (const f of ['json', 'html', 'md'] as const) files.set(reportPath(kind, f), Buffer.from(sub(text(files, reportPath(kind, f)))));
          const index = JSON.parse(text(files, 'bundle.json')) as BundleIndex;
          (index.reports.find((r) => r.kind === kind) as BundleIndex['reports'][number]).contentSha256 = sha256Hex(text(files, reportPath(kind, 'json')));
          index.rendering = 999;
          setJson(files, 'bundle.json', index);
        }
      }
    };
    const ledger = new RegExp(`^${ev.path}: its SHA-256 ${neu} is not what the ledger recorded when EV-\\d{6} was acquired: ${ev.sha256} \\(entry \\d+, evidence\\.acquired\\)$`);
    const signedDocs = new RegExp(`^${ev.path}: its SHA-256 ${neu} is not what the signed documents record for EV-\\d{6}: ${ev.sha256} in signoffs/SO-000001/statement\\.json \\(signed by Dana Reyes\\); ${ev.sha256} in signoffs/SO-000001/signed-report\\.json \\(signed by Dana Reyes\\); ${ev.sha256} in signoffs/SO-000002/request\\.txt \\(signed by Morgan Lee\\); .*signoffs/SO-000003/signed-report\\.json \\(signed by Sam Ortiz\\)$`);

    // The review's reproduction: SHA256SUMS rewritten but not signed, another rendering claimed.
    const t3 = join(dir.path, 'evidence-t3.zip');
    await forgeBundle(bundle.path, t3, (files) => swap(files, false));
    const v3 = await verifyBundle(t3);
    expect(v3.ok).toBe(false);
    expect(v3.problems).toEqual(
      expect.arrayContaining([
        'SHA256SUMS.sig: the signature does not verify over SHA256SUMS with exporter.pem (SHA256SUMS was changed after it was signed)',
        expect.stringMatching(/^bundle\.json: rendering 999: cannot re-render: produced by another version/),
        expect.stringMatching(ledger),
        expect.stringMatching(signedDocs),
      ]),
    );

    // A careful forger: every report re-rendered from its forged JSON, SHA256SUMS signed with their own key. Every
    // unsigned copy now agrees with the fake; the ledger and the signed statements and reports do not.
    const key = forgerKey();
    const careful = join(dir.path, 'evidence-careful.zip');
    await forgeBundle(bundle.path, careful, (files) => swap(files, true), { signWith: key });
    const v = await verifyBundle(careful);
    expect(v.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['evidence']);
    expect(v.problems).toEqual([expect.stringMatching(ledger), expect.stringMatching(signedDocs)]);
    expect(v.exporter?.fingerprint).toBe(key.fingerprint);
  });

  it('fails when a signature is removed, even with bundle.json, the incident report and SHA256SUMS forged to match', async () => {
    const path = join(dir.path, 'signature-removed.zip');
    await forgeBundle(
      bundle.path,
      path,
      (files) => {
        for (const k of [...files.keys()]) if (k.startsWith('signoffs/SO-000003/')) files.delete(k);
        const index = JSON.parse(text(files, 'bundle.json')) as BundleIndex;
        index.signOffs = index.signOffs.filter((x) => x.id !== 'SO-000003');
        setJson(files, 'bundle.json', index);
        reforgeReport(files, 'incident', (t) => {
          const m = JSON.parse(t) as IncidentReportModel;
          m.signOffs.records = m.signOffs.records.filter((r) => r.id !== 'SO-000003');
          return JSON.stringify(m);
        });
      },
      { signWith: forgerKey() },
    );
    const v = await verifyBundle(path);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      expect.stringMatching(/^ledger entry \d+ \(signoff\.signed\): Sam Ortiz \(Legal\) signed [a-z-]+, but no folder under signoffs\/ holds that signature \(it was removed from the bundle\)$/),
    ]);
    expect(v.signers.map((x) => x.id)).toEqual(['SO-000001', 'SO-000002']);
  });

  it('fails a ledger re-chained consistently under a signature, naming the request that pinned it', async () => {
    const path = join(dir.path, 'rechained.zip');
    await forgeBundle(
      bundle.path,
      path,
      (files) => {
        // Rewrite entry 2 and recompute every hash after it, so the chain holds; then make the reports name the new head.
        const lines = text(files, 'ledger/ledger.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as LedgerEntry);
        const oldHead = lines.at(-1)?.hash as string;
        let prev = lines[0]?.hash as string;
        for (const e of lines.slice(1)) {
          if (e.seq === 2) e.actor = 'Someone Else';
          e.prevHash = prev;
          const { hash: _h, ...body } = e;
          e.hash = entryHash(body);
          prev = e.hash;
        }
        files.set('ledger/ledger.jsonl', Buffer.from(lines.map((e) => `${canonicalJson(e)}\n`).join('')));
        const index = JSON.parse(text(files, 'bundle.json')) as BundleIndex;
        index.ledger.headHash = prev;
        setJson(files, 'bundle.json', index);
        for (const kind of ['incident', 'gap', 'signoff'] as const) reforgeReport(files, kind, (t) => t.split(oldHead).join(prev));
      },
      { signWith: forgerKey() },
    );
    const v = await verifyBundle(path);
    expect(v.ok).toBe(false);
    expect(v.checks.find((c) => c.name === 'ledger')?.ok).toBe(true);
    expect(v.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^signoffs\/SO-000002\/request\.txt: the ledger entry \d+ it pinned is not in the bundle's ledger with hash [0-9a-f]{64} \(the history before Morgan Lee's signature was rewritten\)$/),
        expect.stringMatching(/^signoffs\/SO-000003\/request\.txt: the ledger entry \d+ it pinned is not in the bundle's ledger .*Sam Ortiz's signature was rewritten\)$/),
      ]),
    );
  });

  it('fails a bundle that claims another rendering: it cannot be re-rendered, and that is not a pass', async () => {
    const path = join(dir.path, 'rendering.zip');
    await forgeBundle(
      bundle.path,
      path,
      (files) => {
        const index = JSON.parse(text(files, 'bundle.json')) as BundleIndex;
        index.rendering = 2;
        setJson(files, 'bundle.json', index);
      },
      { signWith: forgerKey() },
    );
    const v = await verifyBundle(path);
    expect(v.ok).toBe(false);
    expect(v.checks.find((c) => c.name === 'reports')?.ok).toBe(false);
    expect(v.problems).toEqual([
      'bundle.json: rendering 2: cannot re-render: produced by another version (Firebreak test); this one renders version 1 and checks the HTML, Markdown and OSCAL reports only by re-rendering them. Verify the bundle with the Firebreak that made it.',
    ]);
  });

  it('shows the fingerprint of whoever signed SHA256SUMS: re-signed with another key, it verifies, with another fingerprint', async () => {
    const key = forgerKey();
    const path = join(dir.path, 'resigned.zip');
    await forgeBundle(bundle.path, path, () => {}, { signWith: key });
    const v = await verifyBundle(path);
    // Cryptographically sound: nothing in the bundle can tell the forger's key from the exporter's...
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    // ...but the fingerprint it prints is not the one the exporter gives the reviewer out of band.
    expect(v.exporter).toEqual({ ...testOperator, fingerprint: key.fingerprint, verified: true });
    expect(v.exporter?.fingerprint).not.toBe(bundle.exporter.fingerprint);
    const detail = v.checks.find((c) => c.name === 'exporter')?.detail ?? '';
    expect(detail).toContain(key.fingerprint);
    expect(detail).not.toContain(bundle.exporter.fingerprint);
    // The signers' keys cannot be swapped this way: their signatures would not hold.
    expect(v.signers.every((x) => x.verified)).toBe(true);
    // openssl agrees, and prints the forger's fingerprint too.
    const out = join(dir.path, 'resigned');
    await extract(path, out);
    const root = join(out, `${id}-case-bundle`);
    expect(spawnSync('bash', ['-c', SUMS_VERIFY_COMMAND], { cwd: root, encoding: 'utf8' }).stdout).toContain('Signature Verified Successfully');
    const fp = spawnSync('bash', ['-c', 'openssl pkey -pubin -in exporter.pem -outform DER | sha256sum'], { cwd: root, encoding: 'utf8' }).stdout;
    expect(fp).toBe(`${key.fingerprint}  -\n`);
  });

  it('refuses duplicate names, too many files and files too large to hold, saying why', async () => {
    const all = await zipEntries(bundle.path);
    const [evName] = all.find(([n]) => n.includes('/evidence/files/EV-000001-')) as [string, Buffer];
    const dup = join(dir.path, 'duplicate.zip');
    await writeZip(dup, [...all, [evName, Buffer.from('a second file of the same name')]]);
    expect(await verifyBundle(dup)).toMatchObject({
      ok: false,
      problems: [`${evName} is in the zip twice: a bundle never holds two files of one name (unzip would show one and hide the other): refused`],
    });
    const cased = join(dir.path, 'case-duplicate.zip');
    await writeZip(cased, [...all, [evName.replace('agent_role', 'AGENT_ROLE'), Buffer.from('x')]]);
    expect((await verifyBundle(cased)).problems).toEqual([expect.stringMatching(/AGENT_ROLE.* and .*agent_role.* differ only in letter case: .*refused$/)]);

    expect((await verifyBundle(bundle.path, { limits: { entries: 10 } })).problems).toEqual([
      expect.stringMatching(/ holds \d+ files, more than the 10 verify agrees to check: refused$/),
    ]);
    expect((await verifyBundle(bundle.path, { limits: { wholeFileBytes: 4096 } })).problems).toEqual([
      expect.stringMatching(/^IR-\d{4}-\d{4}-case-bundle\/\S+ is [\d,]+ bytes: verify reads a file of this kind whole and refuses one over 4,096 bytes/),
    ]);
    expect((await verifyBundle(bundle.path, { limits: { wholeTotalBytes: 100_000 } })).problems).toEqual([
      expect.stringMatching(/: its reports, signatures and other files verify reads whole come to [\d,]+ bytes, more than the 100,000 bytes verify agrees to hold: refused$/),
    ]);
    expect((await verifyBundle(bundle.path, { limits: { ledgerLine: 100 } })).problems).toContainEqual(
      expect.stringMatching(/^ledger\/ledger\.jsonl line 1: is longer than 100 characters/),
    );
  });

  it('writes a manifest-only bundle without the evidence files, and says what is not a bundle', async () => {
    const ctx = rc.core.context;
    const small = await writeBundle(ctx, {}, ctx.human(), id, { out: join(dir.path, 'manifest-only.zip'), manifestOnly: true, pdf: false, version: 'test' });
    expect(small.manifestOnly).toBe(true);
    expect(statSync(small.path).size).toBeLessThan(statSync(bundle.path).size);
    const v = await verifyBundle(small.path);
    expect(v.ok, v.problems.join('\n')).toBe(true);
    expect(v.checks.find((c) => c.name === 'evidence')?.detail).toMatch(/files not included/);
    const junk = join(dir.path, 'junk.zip');
    (await import('node:fs')).writeFileSync(junk, 'not a zip');
    expect(await verifyBundle(junk)).toMatchObject({ ok: false, problems: [expect.stringMatching(/cannot be read as a zip file/)] });
  });

  it('through the Api: writes under exports/, reports progress while running, and cancels leaving no file', async () => {
    const ran = rc.mine('reports.bundle', { id, pdf: false, operationId: 'bundle-op-1' });
    expect(await rc.mine('operations.list', { incidentId: id })).toEqual([expect.objectContaining({ id: 'bundle-op-1', method: 'reports.bundle', incidentId: id })]);
    const done = await ran;
    expect(done.path).toMatch(new RegExp(`/exports/${id}-case-bundle-\\d{8}T\\d{6}Z\\.zip$`));
    expect((await rc.mine('reports.verifyBundle', { path: done.path })).ok).toBe(true);
    expect(await rc.mine('operations.list', { incidentId: id })).toEqual([]);

    const cancelled = rc.mine('reports.bundle', { id, pdf: false, operationId: 'bundle-op-2' });
    expect(await rc.mine('operations.cancel', { operationId: 'bundle-op-2' })).toEqual({ cancelled: true });
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(join(dir.path, 'exports')).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
