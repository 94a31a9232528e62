import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../electron/core/kernel/signature';
import { canonicalJson } from '../../../electron/core/ledger/canonical-json';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { IncidentReportModel } from '../../../electron/shared/reports';
import { call, repoRoot } from '../../helpers/core';
import { perTest } from '../../helpers/incident';
import { addEvidence, backAttestations, openReportsIncident, recordCompare } from './support';

const SCHEMAS = join(repoRoot, '..', 'shared', 'reference', 'oscal-schemas');
// Ajv 8 compiles patterns with the `u` flag (unicodeRegExp, its default): the OSCAL tokens use \p{L} and \p{N}.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
interface ArDoc {
  'assessment-results': {
    uuid: string;
    metadata: { actions: Array<{ type: string; system: string }> };
    results: Array<{ findings: Array<{ uuid: string; title: string; target: { status: { state: string } } }> }>;
    'back-matter': { resources: Array<{ rlinks: Array<{ hashes: Array<{ algorithm: string; value: string }> }> }> };
  };
}
interface PoamDoc {
  'plan-of-action-and-milestones': {
    findings: Array<{ uuid: string; title: string }>;
    'poam-items': Array<{ title: string; props: Array<{ name: string; value: string }> }>;
  };
}
const validator = (file: string) => ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);

describe('reports', () => {
  const t = perTest(() => openReportsIncident('2026-05-12T14:00:00Z'));

  async function assessedAndSigned(): Promise<EvidenceItem> {
    const cab = await addEvidence(t.core, t.id, 'cab-minutes.txt', 'Agent deployments were not on the CAB agenda.');
    await t.mine('gap.assess', { id: t.id, controlId: 'AC-2', state: 'partially-implemented', gap: 'Agent service accounts had no owner and were never reviewed.', owner: 'IAM team', dueDate: '2026-06-15' });
    await t.mine('gap.assess', { id: t.id, controlId: 'AC-6', state: 'not-implemented', gap: 'The agent role held s3:* and rds:* on production.', owner: 'Cloud platform lead', dueDate: '2026-05-31' });
    await t.mine('gap.assess', { id: t.id, controlId: 'CM-3', state: 'not-implemented', gap: 'Agent deployments bypassed the change review board.', owner: 'Change manager', dueDate: '2026-06-30' });
    await t.mine('gap.assess', { id: t.id, controlId: 'SI-12', state: 'implemented' });
    await t.mine('gap.assess', { id: t.id, controlId: 'AT-2', state: 'not-applicable', gap: 'No human was tricked; training is out of scope.' });
    await t.mine('gap.linkEvidence', { id: t.id, controlId: 'CM-3', itemId: cab.id });
    await backAttestations(t, t.id);
    recordCompare(t.core, t.id, 'match', '2026-05-11T10:00:00Z');
    await t.sign({ id: t.id, role: 'IR lead', name: 'Dana Reyes' });
    // A later comparison found drift: the CISO signs over it, with a justification.
    recordCompare(t.core, t.id, 'mismatch', '2026-05-12T11:00:00Z');
    await t.sign({ id: t.id, role: 'CISO', name: 'Morgan Lee', override: 'Drift is in the audit_log table only; ticket DBA-2291' });
    return cab;
  }

  it('defines the content hash as the SHA-256 of the JSON form, carried by every rendering', async () => {
    await assessedAndSigned();
    const json = await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'json', save: false });
    expect(sha256Hex(json.content)).toBe(json.contentSha256);
    expect(json.fileSha256).toBe(json.contentSha256);
    expect(canonicalJson(JSON.parse(json.content))).toBe(json.content);
    const html = await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'html', save: false });
    const md = await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'md', save: false });
    expect(html.contentSha256).toBe(json.contentSha256);
    expect(md.contentSha256).toBe(json.contentSha256);
    expect(html.content.split(json.contentSha256).length - 1).toBeGreaterThanOrEqual(3);
    expect(md.content.split(json.contentSha256).length - 1).toBe(2);
    // Deterministic: the same record at the same time renders the same bytes.
    expect((await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'html', save: false })).content).toBe(html.content);
  });

  it('makes self-contained HTML: inline CSS, no script, nothing fetched', async () => {
    await assessedAndSigned();
    const { html } = await t.mine('reports.preview', { id: t.id, kind: 'incident' });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|url\(|@import/i);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; style-src &#x27;unsafe-inline&#x27;; img-src data:"/>`);
  });

  it('puts in the incident report what legal and the CISO need', async () => {
    await assessedAndSigned();
    const m = JSON.parse((await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'json', save: false })).content) as IncidentReportModel;
    expect(m.keyTimeline.map((e) => e.kind)).toEqual(['agent-deployment', 'destructive-action', 'detection', 'incident-opened', 'containment', 'eradication', 'recovery', 'post-incident']);
    expect(m.keyTimeline[0]).toMatchObject({ at: null, detail: expect.stringMatching(/^Not established/) });
    expect(m.phases.map((p) => p.id)).toEqual(['containment', 'detection-analysis', 'eradication', 'recovery', 'post-incident']);
    expect(m.validation.latestCompare).toMatchObject({ verdict: 'mismatch' });
    expect(m.overrides).toEqual([
      expect.objectContaining({ kind: 'sign-off', justification: 'Drift is in the audit_log table only; ticket DBA-2291', waived: [expect.stringMatching(/^validation of postgres:\/\/firebreak@orders-db.internal:5432\/orders: the latest comparison .* did not match/)] }),
    ]);
    expect(m.signOffs.records.map((r) => r.role)).toEqual(['IR lead', 'CISO']);
    expect(m.signOffs.missing).toContain('Written sign-off before the agent returns to production: Legal has not signed');
    // Signed reports are evidence too, but not listed: a report's hash must not depend on earlier reports. Each
    // sign-off keeps three: the report its request pinned, the request and the signature.
    expect(m.evidence.items.every((e) => e.sourceKind !== 'report')).toBe(true);
    expect(m.evidence.reportsNotListed).toBe(6);
    expect(m.gaps.find((g) => g.label === 'AC-6')).toMatchObject({ state: 'not-implemented', owner: 'Cloud platform lead' });
    expect(m.summary.facts).toContainEqual({ label: 'Agent IAM role ARN', value: 'arn:aws:iam::123456789012:role/ai-ops-agent' });
  });

  it('marks every report with the TLP marking, and SAMPLE when the incident is one', async () => {
    let md = await t.mine('reports.export', { id: t.id, kind: 'gap', format: 'md', save: false });
    expect(md.content.startsWith(`**TLP:AMBER+STRICT** · ${t.id}\n`)).toBe(true);
    await t.mine('reports.setMarking', { id: t.id, tlp: 'TLP:RED' });
    expect(await t.mine('reports.marking', { id: t.id })).toEqual({ tlp: 'TLP:RED' });
    md = await t.mine('reports.export', { id: t.id, kind: 'gap', format: 'md', save: false });
    expect(md.content.startsWith(`**TLP:RED** · ${t.id}\n`)).toBe(true);
    expect(md.content).not.toContain('SAMPLE');
    const green = await t.mine('reports.export', { id: t.id, kind: 'gap', format: 'md', tlp: 'TLP:GREEN', save: false });
    expect(green.content).toContain(`${t.id} · TLP:GREEN · Content SHA-256`);
    const entries = await call<Array<{ action: string; payload: unknown }>>(t.core, 'audit.entries', { scope: t.id });
    expect(entries.find((e) => e.action === 'report.marking-set')?.payload).toEqual({ from: 'TLP:AMBER+STRICT', to: 'TLP:RED' });

    // Sample incidents (made for training and evaluation) carry the flag.
    t.core.context.db.prepare('UPDATE incidents SET sample = 1 WHERE id = ?').run(t.id);
    const sample = await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'html', save: false });
    expect(sample.content).toContain('<div class="watermark">SAMPLE</div>');
    expect(sample.content).toContain('<div class="sample">SAMPLE: fictional data for training and evaluation');
    expect(JSON.parse((await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'json', save: false })).content)).toMatchObject({ sample: true });
  });

  it('keeps an exported report as evidence, with its content hash in the description', async () => {
    const r = await t.mine('reports.export', { id: t.id, kind: 'gap', format: 'md' });
    expect(r.evidenceId).toMatch(/^EV-\d{6}$/);
    const item = await call<EvidenceItem>(t.core, 'evidence.get', { incidentId: t.id, itemId: r.evidenceId as string });
    expect(item).toMatchObject({ sourceKind: 'report', name: `${t.id}-gap-analysis.md`, sha256: r.fileSha256, description: `Gap analysis (Markdown), content SHA-256 ${r.contentSha256}` });
  });

  it('writes OSCAL assessment results and a POA&M that validate against the OSCAL 1.1.2 schemas', async () => {
    const cab = await assessedAndSigned();
    const ar = JSON.parse((await t.mine('reports.export', { id: t.id, kind: 'gap', format: 'oscal-ar', save: false })).content) as ArDoc;
    const validAr = validator('oscal_assessment-results_schema-v1.1.2.json');
    expect(validAr(ar), JSON.stringify(validAr.errors?.slice(0, 5))).toBe(true);
    const doc = ar['assessment-results'];
    expect(doc.metadata.actions).toHaveLength(2);
    expect(doc.metadata.actions[0]).toMatchObject({ type: 'approval', system: 'http://csrc.nist.gov/ns/oscal' });
    const findings = doc.results[0]?.findings ?? [];
    expect(findings.find((f) => f.title.startsWith('AC-6'))?.target.status.state).toBe('not-satisfied');
    expect(findings.find((f) => f.title.startsWith('SI-12'))?.target.status.state).toBe('satisfied');
    expect(doc['back-matter'].resources.some((r) => r.rlinks[0]?.hashes[0]?.value === cab.sha256)).toBe(true);

    const poam = JSON.parse((await t.mine('reports.export', { id: t.id, kind: 'gap', format: 'oscal-poam', save: false })).content) as PoamDoc;
    const validPoam = validator('oscal_poam_schema-v1.1.2.json');
    expect(validPoam(poam), JSON.stringify(validPoam.errors?.slice(0, 5))).toBe(true);
    const plan = poam['plan-of-action-and-milestones'];
    const ac6 = plan['poam-items'].find((i) => i.title.startsWith('AC-6'));
    expect(ac6?.props).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'owner', value: 'Cloud platform lead' }), expect.objectContaining({ name: 'due-date', value: '2026-05-31' })]));
    expect(plan['poam-items'].some((i) => i.title.startsWith('SI-12'))).toBe(false);
    // UUIDs are v5 of what they name: a finding keeps its UUID across documents and revisions.
    expect(doc.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const poamAc6 = plan.findings.find((f) => f.title.startsWith('AC-6'));
    expect(poamAc6?.uuid).toBe(findings.find((f) => f.title.startsWith('AC-6'))?.uuid);
  });

  it('refuses OSCAL of a report that is not the gap analysis', async () => {
    await expect(t.mine('reports.export', { id: t.id, kind: 'incident', format: 'oscal-ar' })).rejects.toThrow(/OSCAL assessment results and POA&M are made from the gap analysis/);
  });
});
