import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewerChecks, type BundleIndex } from '../../../electron/core/reports/bundle/layout';
import { verifyBundle } from '../../../electron/core/reports/bundle/verify-bundle';
import { writeBundle } from '../../../electron/core/reports/bundle/write-bundle';
import { chromiumPdf } from '../../../electron/core/reports/pdf';
import type { BundleResult } from '../../../electron/shared/reports';
import { tempDir } from '../../helpers/temp';
import { type ReportsCore, addEvidence, backAttestations, newIncident, recordCompare, reportsCore } from '../../unit/reports/support';
import { extract, forge, rewrite } from './zip-tools';

describe('case bundle', () => {
  let dir: ReturnType<typeof tempDir>;
  let rc: ReportsCore;
  let id: string;
  let bundle: BundleResult;
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
    await rc.mine('signoff.sign', { id, role: 'IR lead', name: 'Dana Reyes' });
    await rc.mine('signoff.sign', { id, role: 'CISO', name: 'Morgan Lee' });
    await rc.mine('signoff.sign', { id, role: 'Legal', name: 'Sam Ortiz' });
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
        'signoffs/SO-000001/statement.json',
        'signoffs/SO-000001/signature.sig',
        'signoffs/SO-000001/signer.pem',
        'signoffs/SO-000003/signed-report.json',
      ]),
    );
    expect(files.filter((f) => f.startsWith('evidence/files/'))).toContain('evidence/files/EV-000001-agent_role_snapshot.json');
    const v = await verifyBundle(bundle.path);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => c.name)).toEqual(['hashes', 'ledger', 'reports', 'signatures', 'evidence']);
    expect(v.checks.find((c) => c.name === 'signatures')?.detail).toBe('3 signatures verified (Ed25519)');
  });

  it('VERIFY.txt commands work with sha256sum and openssl alone, exactly as written', async () => {
    const out = join(dir.path, 'reviewer');
    await extract(bundle.path, out);
    const root = join(out, `${id}-case-bundle`);
    const index = JSON.parse(readFileSync(join(root, 'bundle.json'), 'utf8')) as BundleIndex;
    const text = readFileSync(join(root, 'VERIFY.txt'), 'utf8');
    const checks = reviewerChecks(index);
    expect(checks.length).toBe(1 + 3 * 3 + 3);
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
    const bad = spawnSync('bash', ['-c', reviewerChecks(index)[1]?.command ?? ''], { cwd: root, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('Signature Verification Failure');
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
    // With SHA256SUMS forged to match, the HTML still does not say what the JSON says.
    const forged = join(dir.path, 'report-forged.zip');
    await forge(bundle.path, forged, 'reports/incident-report.html', (b) => Buffer.from(b.toString('utf8').replace('Dana Reyes', 'Dan Reyes')));
    const f = await verifyBundle(forged);
    expect(f.problems).toEqual(['reports/incident-report.html: does not say what reports/incident-report.json says (the HTML was changed)']);
    // Changing the JSON breaks its content hash, which the signatures and VERIFY.txt name.
    const json = join(dir.path, 'json-forged.zip');
    await forge(bundle.path, json, 'reports/gap-analysis.json', (b) => Buffer.from(b.toString('utf8').replace('Cloud platform lead', 'Nobody')));
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
    const v = await tampered('signature', (p, b) => (p === 'signoffs/SO-000002/signature.sig' ? flip(b) : b));
    expect(v.problems).toContainEqual(expect.stringMatching(/^signoffs\/SO-000002\/signature\.sig: changed after the bundle was made/));
    const forged = join(dir.path, 'sig-forged.zip');
    await forge(bundle.path, forged, 'signoffs/SO-000002/signature.sig', flip);
    const f = await verifyBundle(forged);
    expect(f.problems).toContainEqual('SO-000002 (Morgan Lee, CISO): the signature in signoffs/SO-000002/signature.sig does not verify over signoffs/SO-000002/statement.json with signoffs/SO-000002/signer.pem');
    // A statement re-signed with another key: the key is not the one the ledger and the statement recorded.
    const statement = await tampered('statement', (p, b) => (p === 'signoffs/SO-000001/statement.json' ? Buffer.from(b.toString('utf8').replace('Dana Reyes', 'Dana Reyez')) : b));
    expect(statement.problems).toContainEqual(expect.stringMatching(/^SO-000001 \(Dana Reyes, IR lead\): the signature .* does not verify/));
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
    expect(await rc.mine('reports.operations', { id })).toEqual([expect.objectContaining({ operationId: 'bundle-op-1', incidentId: id })]);
    const done = await ran;
    expect(done.path).toMatch(new RegExp(`/exports/${id}-case-bundle-\\d{8}T\\d{6}Z\\.zip$`));
    expect((await rc.mine('reports.verifyBundle', { path: done.path })).ok).toBe(true);
    expect(await rc.mine('reports.operations', { id })).toEqual([]);

    const cancelled = rc.mine('reports.bundle', { id, pdf: false, operationId: 'bundle-op-2' });
    expect(await rc.mine('reports.cancel', { operationId: 'bundle-op-2' })).toEqual({ cancelled: true });
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(join(dir.path, 'exports')).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
