import { isOpenGap } from '../../shared/gap';
import type { GapReportModel } from '../../shared/reports';
import { FirebreakError } from '../errors';
import {
  backMatter,
  endOfDay,
  finding,
  findingUuid,
  metadata,
  observation,
  observationUuid,
  playbookUuid,
  prop,
  riskUuid,
  uuidV5,
} from './oscal-common';

const json = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;

/** OSCAL 1.1.2 assessment results: one result, the Post-Incident gap analysis; sign-offs as approval actions. */
export function oscalAssessmentResults(m: GapReportModel, hash: string): string {
  const result = {
    uuid: uuidV5(`result/${m.incident.id}/${hash}`),
    title: `Post-incident gap analysis of ${m.incident.id}`,
    description: `State of the controls of the gap set of "${m.incident.playbook.title}" at the time of incident ${m.incident.id} (${m.incident.title}), as recorded by the responders.`,
    start: m.incident.openedAt,
    end: m.generatedAt,
    'reviewed-controls': {
      'control-selections': [{ 'include-controls': m.controls.map((c) => ({ 'control-id': c.controlId })) }],
    },
    observations: m.controls.map((c) => observation(m, c)),
    findings: m.controls.map((c) => finding(m, c)),
    ...(m.missing.length ? { remarks: `The analysis is not complete: ${m.missing.join('; ')}.` } : {}),
  };
  return json({
    'assessment-results': {
      uuid: uuidV5(`assessment-results/${m.incident.id}/${hash}`),
      metadata: metadata(m, hash, `Assessment results: ${m.title}`),
      'import-ap': {
        href: `#${playbookUuid(m.incident.playbook.sha256)}`,
        remarks: 'No separate assessment plan: the playbook pinned by the incident (see back-matter) defines what is assessed.',
      },
      results: [result],
      'back-matter': backMatter(m),
    },
  });
}

/** OSCAL 1.1.2 POA&M: one item per control with a gap (or not yet assessed), with its owner and due date. */
export function oscalPoam(m: GapReportModel, hash: string): string {
  const todo = m.controls.filter((c) => !c.state || isOpenGap(c.state));
  if (todo.length === 0) {
    throw new FirebreakError('conflict', `Every control of ${m.incident.id} is implemented or not applicable: there is nothing to put in a POA&M.`);
  }
  const risks = todo.map((c) => ({
    uuid: riskUuid(m.incident.id, c.controlId),
    title: `${c.label} ${c.control?.title ?? ''}`.trim(),
    description: c.gap ?? (c.state ? 'The specific gap is not described yet.' : `${c.label} has not been assessed yet.`),
    statement: c.question ?? `${c.label} was not fully in place for the agent identities at the time of incident ${m.incident.id}.`,
    props: [...(c.owner ? [prop('owner', c.owner)] : []), prop('gap-state', c.state ?? 'not-assessed')],
    status: 'open',
    ...(c.dueDate ? { deadline: endOfDay(c.dueDate) } : {}),
    'related-observations': [{ 'observation-uuid': observationUuid(m.incident.id, c.controlId) }],
  }));
  const items = todo.map((c) => ({
    uuid: uuidV5(`poam-item/${m.incident.id}/${c.controlId}`),
    title: `${c.label} ${c.control?.title ?? ''}: ${c.state ? 'close the gap' : 'assess the control'}`,
    description: c.gap ?? (c.state ? `Describe and close the gap in ${c.label}.` : `Record the state of ${c.label} at the time of the incident.`),
    props: [
      prop('owner', c.owner ?? 'unassigned'),
      ...(c.dueDate ? [prop('due-date', c.dueDate)] : []),
      prop('gap-state', c.state ?? 'not-assessed'),
    ],
    'related-findings': [{ 'finding-uuid': findingUuid(m.incident.id, c.controlId) }],
    'related-observations': [{ 'observation-uuid': observationUuid(m.incident.id, c.controlId) }],
    'related-risks': [{ 'risk-uuid': riskUuid(m.incident.id, c.controlId) }],
  }));
  return json({
    'plan-of-action-and-milestones': {
      uuid: uuidV5(`poam/${m.incident.id}/${hash}`),
      metadata: metadata(m, hash, `Plan of action and milestones: ${m.title}`),
      observations: todo.map((c) => observation(m, c)),
      risks,
      findings: todo.map((c) => finding(m, c)),
      'poam-items': items,
      'back-matter': backMatter(m),
    },
  });
}
