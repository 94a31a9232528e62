import type { IncidentReportModel } from '../../shared/reports';
import { iamReportView } from './iam-view';

/** The Markdown report's table writer (markdown.ts), handed in so both lay tables out the same way. */
type Table = (head: string[], rows: unknown[][]) => string[];

/** The agent's identity section of the Markdown report; nothing when the incident has no IAM facts. */
export function iamMarkdown(m: IncidentReportModel, table: Table): string[] {
  if (!m.iam) return [];
  const v = iamReportView(m.iam, m.incident.id);
  return [
    "## The agent's identity: what it could do and what it did",
    '',
    v.intro,
    '',
    ...(v.problem ? [`**${v.problem}**`, ''] : []),
    ...v.identities.flatMap((i) => [`### ${i.identity}`, '', ...table(['Fact', 'Value'], i.rows.map((r) => [r.label, r.bad ? `**${r.value}**` : r.value]))]),
    ...(v.credentials.length ? ['### Credential lifecycle (AC-2)', '', ...v.credentials.flatMap((c) => [c.who, '', ...c.findings.map((f) => `- ${f}`), ''])] : []),
    '### Revocations',
    '',
    ...(v.revocations.rows.length
      ? table(v.revocations.head, v.revocations.rows)
      : ["The agent's access has not been revoked through Firebreak.", '']),
    ...(v.drafts.length ? ['### Least-privilege drafts (evidence for Eradication)', '', ...v.drafts.map((d) => `- ${d}`), ''] : []),
  ];
}
