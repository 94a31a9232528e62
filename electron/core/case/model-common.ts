import type { Incident, Operator } from '../../shared/domain';
import {
  REPORT_MODEL_FORMAT,
  REPORT_TITLES,
  type IncidentReportModel,
  type ReportEvidenceItem,
  type ReportHeader,
  type ReportKind,
  type ReportModel,
  type ReportOverride,
  type ReportSecret,
  type TlpMarking,
} from '../../shared/reports';
import type { SecretFinding } from '../../shared/evidence';
import type { SignOffRecord } from '../../shared/signoff';
import type { IncidentRun } from '../../shared/workflow';
import type { CoreContext } from '../context';
import { type ItemRow, evidenceRepository } from '../evidence/repository';
import { sha256Hex } from '../kernel/signature';
import { canonicalJson } from '../ledger/canonical-json';
import { CaseRepository } from './repository';
import { unreadLogs } from './unread-logs';

/** The report's JSON: canonical JSON of the model. Its SHA-256 is the report's content hash. */
export const modelJson = (m: ReportModel): string => canonicalJson(m);
export const contentSha256 = (m: ReportModel): string => sha256Hex(modelJson(m));

export interface ModelOptions {
  /** This report only; otherwise the incident's marking. */
  tlp?: TlpMarking | undefined;
  generatedBy: Operator;
}

export function reportHeader<K extends ReportKind>(ctx: CoreContext, incident: Incident, kind: K, o: ModelOptions): ReportHeader & { kind: K } {
  const head = ctx.ledger.head(incident.id);
  const header: ReportHeader & { kind: K } = {
    format: REPORT_MODEL_FORMAT,
    version: 1,
    kind,
    title: `${REPORT_TITLES[kind]}: ${incident.title}`,
    incident: {
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      phase: incident.phase,
      playbook: { ...incident.playbook },
      openedAt: incident.createdAt,
      openedBy: { ...incident.createdBy },
    },
    tlp: o.tlp ?? new CaseRepository(ctx.db).marking(incident.id),
    generatedAt: ctx.now().toISOString(),
    generatedBy: { name: o.generatedBy.name, role: o.generatedBy.role },
    record: { ledgerEntries: head?.seq ?? 0, ledgerHeadHash: head?.hash ?? null },
  };
  // A sample incident says so on every page; a real one carries no flag at all.
  if (incident.sample === true) header.sample = true;
  return header;
}

/** What a report, and a case bundle's manifest, say of one evidence item. */
export const evidenceFacts = (r: ItemRow): Omit<ReportEvidenceItem, 'linkedSteps'> => ({
  id: r.id,
  name: r.name,
  sha256: r.sha256,
  size: r.size,
  sourceKind: r.source_kind,
  acquiredAt: r.acquired_at,
  acquiredBy: { name: r.acquired_by, role: r.acquired_by_role },
  status: r.status,
});

/** Evidence of the incident in acquisition order, without the reports Firebreak generated (see the model's note). */
export function reportEvidence(ctx: CoreContext, incidentId: string): Required<IncidentReportModel['evidence']> {
  const repo = evidenceRepository(ctx.db);
  const links = repo.linksOfIncident(incidentId);
  const items: ReportEvidenceItem[] = [];
  const secrets: ReportSecret[] = [];
  let totalBytes = 0;
  let reportsNotListed = 0;
  const unread = unreadLogs(ctx.db, incidentId);
  const readInPart = new Map(unread.flatMap((u) => (u.evidenceId ? [[u.evidenceId, u.outcome] as const] : [])));
  for (const r of repo.itemRows(incidentId)) {
    if (r.source_kind === 'report') {
      reportsNotListed += 1;
      continue;
    }
    totalBytes += r.size;
    const read = readInPart.get(r.id);
    items.push({ ...evidenceFacts(r), linkedSteps: links.get(r.id) ?? [], ...(read ? { read } : {}) });
    for (const f of JSON.parse(r.findings) as SecretFinding[]) {
      secrets.push({ itemId: r.id, itemName: r.name, label: f.label, redacted: f.redacted, line: f.line, occurrences: f.occurrences });
    }
  }
  return { items, totalBytes, reportsNotListed, secrets, unreadLogs: unread };
}

/** Every gate someone overrode, phases first, then signatures given with the gate not met. */
export function reportOverrides(run: IncidentRun, signOffs: SignOffRecord[]): ReportOverride[] {
  const phases: ReportOverride[] = run.phases.flatMap((p) =>
    p.override
      ? [
          {
            kind: 'phase' as const,
            subject: `${p.title} gate`,
            justification: p.override.reason,
            by: { ...p.override.by },
            at: p.override.at,
            waived: [
              ...p.override.missing.missingSteps.map((s) => `step ${s.id}: ${s.title}`),
              ...p.override.missing.missingEvidence.map((e) => `evidence ${e.id}: ${e.name}`),
            ],
          },
        ]
      : [],
  );
  const signatures: ReportOverride[] = signOffs.flatMap((s) =>
    s.override
      ? [
          {
            kind: 'sign-off' as const,
            subject: `${s.stepTitle} (${s.role})`,
            justification: s.override.justification,
            by: { name: s.name, role: s.role },
            at: s.signedAt,
            waived: [...s.override.waived],
          },
        ]
      : [],
  );
  return [...phases, ...signatures];
}
