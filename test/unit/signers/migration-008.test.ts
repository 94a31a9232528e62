import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../electron/core/context';
import { openIncident } from '../../../electron/core/incidents/handlers';
import { playbookLibrary } from '../../../electron/core/playbooks/library';
import { signatureHolds } from '../../../electron/core/case/signature-check';
import { openDatabase } from '../../../electron/core/store/database';
import { migrations } from '../../../electron/core/store/migrations/index';
import type { SignOffStatus } from '../../../electron/shared/signoff';
import { call, repoRoot, testCore, testOperator } from '../../helpers/core';
import { legacyStatement } from '../../helpers/signers';
import { tempDir } from '../../helpers/temp';

/**
 * A data directory as the app left it before signers were enrolled (migration 7): an incident with a sign-off signed
 * by a key the app made for the typed name, as the old code wrote it.
 */
function legacyDataDir(dir: string): { id: string; fingerprint: string } {
  const db = openDatabase(dir, { migrations: migrations.filter((m) => m.id <= 7) });
  try {
    const ctx = createContext({
      db,
      dataDir: dir,
      resourcesDir: repoRoot,
      mode: 'cli',
      version: 'old',
      playbooks: playbookLibrary([join(repoRoot, 'playbooks')]),
      operator: testOperator,
      now: () => new Date('2026-03-01T10:00:00Z'),
    });
    const { id } = openIncident(ctx, { playbookId: 'agent-destructive-action', title: 'before enrolment', params: {} });
    const { statement, message, signature, pem, fingerprint } = legacyStatement({
      incidentId: id,
      stepId: 'reinstatement-sign-off',
      stepTitle: 'Written sign-off before the agent returns to production',
      signer: { name: 'Priya Shah', role: 'CISO' },
      signedAt: '2026-03-01T10:00:00.000Z',
      sentence: 'I, Priya Shah (CISO), attest that: (1) restored',
      attestations: [],
      reportSha256: 'a'.repeat(64),
      validation: { status: 'missing', runId: null, comparedAt: null, summary: null, evidenceId: null },
      override: { justification: 'signed before validation', waived: ['validation: none'] },
    });
    const json = message.toString('utf8');
    ctx.change(ctx.human(), { scope: id, action: 'signoff.signed-with-override', subject: statement.stepId, payload: { name: 'Priya Shah', role: 'CISO', signature, fingerprint } }, (e) => {
      db.prepare(
        `INSERT INTO signoffs (num, id, incident_id, step_id, role, name, signed_at, statement, statement_sha256, signature, public_key, fingerprint,
           report_sha256, report_evidence_id, override_reason, ledger_seq) VALUES (1, 'SO-000001', ?, ?, 'CISO', 'Priya Shah', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      ).run(id, statement.stepId, statement.signedAt, json, createHash('sha256').update(json).digest('hex'), signature, pem, fingerprint, 'a'.repeat(64), 'signed before validation', e.seq);
    });
    return { id, fingerprint };
  } finally {
    db.close();
  }
}

describe('migration 8 (signers)', () => {
  it('keeps every sign-off signed before it, marked as made with a key the app held, still verifying and labelled so', async () => {
    const dir = tempDir();
    try {
      const { id, fingerprint } = legacyDataDir(dir.path);
      const core = testCore(dir.path);
      try {
        const [recovery] = await call<SignOffStatus[]>(core, 'signoff.status', { id });
        const s = recovery?.signOffs[0];
        expect(s).toMatchObject({ id: 'SO-000001', name: 'Priya Shah', role: 'CISO', scheme: 'ed25519-app-key', fingerprint, override: { justification: 'signed before validation' } });
        expect(s && signatureHolds(s)).toBe(true);
        const md = await call<{ content: string }>(core, 'reports.export', { id, kind: 'signoff', format: 'md', save: false });
        expect(md.content).toContain("Signed with a key held by Firebreak on the operator's machine, made before signers were enrolled: it does not show that Priya Shah signed");
        expect(md.content).toContain('(signature verified)');
        const json = await call<{ content: string }>(core, 'reports.export', { id, kind: 'incident', format: 'json', save: false });
        expect(JSON.parse(json.content)).toMatchObject({ signOffs: { records: [{ id: 'SO-000001', scheme: 'ed25519-app-key', custody: "key held by Firebreak on the operator's machine" }] } });
        const html = await call<{ content: string }>(core, 'reports.export', { id, kind: 'incident', format: 'html', save: false });
        expect(html.content).toContain('Signed with a key held by Firebreak on the operator&#x27;s machine');
        const db = core.context.db;
        expect(() => db.prepare("UPDATE signoffs SET name = 'X'").run()).toThrow(/never changed/);
        expect(() => db.prepare('DELETE FROM signoffs').run()).toThrow(/never removed/);
        // A legacy row cannot pose as an SSH signature, nor an SSH one as legacy.
        expect(() => db.prepare("INSERT INTO signoffs SELECT 2, 'SO-000002', incident_id, 'x', role, name, signed_at, statement, statement_sha256, signature, public_key, fingerprint, report_sha256, NULL, NULL, ledger_seq, 'sshsig', NULL, NULL, NULL, NULL FROM signoffs").run()).toThrow(/CHECK/);
        expect(await call(core, 'audit.verify', { scope: id })).toMatchObject({ ok: true });
      } finally {
        core.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});
