import { createHash } from 'node:crypto';
import type { Operator } from '../../shared/domain';
import { type ControlAssessment, type GapState, isOpenGap } from '../../shared/gap';
import type { GapReportModel } from '../../shared/reports';

/**
 * Pieces both OSCAL documents share. Every UUID is a version-5 UUID derived from what it names (incident, control,
 * sign-off), so the same gap analysis always gives the same document, and `verify` can regenerate a bundle's OSCAL
 * files from the gap report's JSON and compare them byte for byte.
 */

export const OSCAL_VERSION = '1.1.2';
/** Namespace of Firebreak's own OSCAL properties. */
export const FIREBREAK_NS = 'urn:firebreak:oscal';
const UUID_NAMESPACE = '84a5f30f-7ed1-46db-ab71-fb36652ec9e7';

/** RFC 4122 version-5 UUID (SHA-1, name-based) in Firebreak's namespace. */
export function uuidV5(name: string): string {
  const h = createHash('sha1').update(Buffer.from(UUID_NAMESPACE.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

type Prop = { name: string; value: string; ns?: string; remarks?: string };
export const prop = (name: string, value: string): Prop => ({ name, ns: FIREBREAK_NS, value });

/** An OSCAL token: letters, digits, '.', '-', '_', starting with a letter or '_'. */
export const roleId = (role: string): string => {
  const t = role.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z_]/.test(t) ? t : `role-${t || 'x'}`;
};

export const partyUuid = (name: string): string => uuidV5(`party/${name}`);
export const evidenceUuid = (incidentId: string, itemId: string): string => uuidV5(`evidence/${incidentId}/${itemId}`);
export const playbookUuid = (sha256: string): string => uuidV5(`playbook/${sha256}`);
export const observationUuid = (incidentId: string, controlId: string): string => uuidV5(`observation/${incidentId}/${controlId}`);
export const findingUuid = (incidentId: string, controlId: string): string => uuidV5(`finding/${incidentId}/${controlId}`);
export const riskUuid = (incidentId: string, controlId: string): string => uuidV5(`risk/${incidentId}/${controlId}`);

/** Due dates are days; OSCAL wants a date-time with a zone: the end of that day, UTC. */
export const endOfDay = (date: string): string => `${date}T23:59:59Z`;

export function metadata(m: GapReportModel, hash: string, title: string) {
  const people = new Map<string, Operator>();
  const add = (o: Operator | null) => {
    if (o && !people.has(o.name)) people.set(o.name, o);
  };
  add(m.generatedBy);
  for (const c of m.controls) add(c.updatedBy);
  for (const s of m.signOffs) add({ name: s.name, role: s.role });
  const roles = new Map<string, string>();
  for (const p of people.values()) roles.set(roleId(p.role), p.role);
  return {
    title,
    'last-modified': m.generatedAt,
    version: `content-${hash.slice(0, 16)}`,
    'oscal-version': OSCAL_VERSION,
    props: [
      { name: 'marking', value: m.tlp },
      prop('incident-id', m.incident.id),
      prop('report-content-sha256', hash),
      ...(m.sample ? [prop('sample', 'true')] : []),
    ],
    roles: [...roles].map(([id, t]) => ({ id, title: t })),
    parties: [...people.values()].map((p) => ({ uuid: partyUuid(p.name), type: 'person', name: p.name })),
    ...(m.signOffs.length
      ? {
          actions: m.signOffs.map((s) => ({
            uuid: uuidV5(`signoff/${s.id}/${s.statementSha256}`),
            date: s.signedAt,
            type: 'approval',
            system: 'http://csrc.nist.gov/ns/oscal',
            props: [
              prop('signoff-id', s.id),
              prop('signoff-step', s.stepId),
              prop('signed-report-sha256', s.reportSha256),
              prop('statement-sha256', s.statementSha256),
              ...(s.scheme === 'sshsig'
                ? [
                    prop('key-custody', 'signer'),
                    prop('ssh-key-fingerprint', s.fingerprint),
                    ...(s.signer ? [prop('signer-enrolment-id', s.signer.enrolmentId)] : []),
                    ...(s.request ? [prop('signoff-request-id', s.request.id)] : []),
                  ]
                : [
                    // Reports made before sign-offs named their scheme say nothing of custody, as they did then.
                    ...(s.scheme ? [prop('key-custody', 'firebreak-on-operator-machine')] : []),
                    prop('ed25519-public-key-sha256', s.fingerprint),
                    prop('ed25519-signature', s.signature),
                  ]),
              ...(s.override ? [prop('override-justification', s.override.justification)] : []),
            ],
            'responsible-parties': [{ 'role-id': roleId(s.role), 'party-uuids': [partyUuid(s.name)] }],
            remarks: s.statement.statement,
          })),
        }
      : {}),
  };
}

export function backMatter(m: GapReportModel) {
  const evidence = new Map<string, { id: string; name: string; sha256: string }>();
  for (const c of m.controls) for (const e of c.evidence) evidence.set(e.id, e);
  return {
    resources: [
      {
        uuid: playbookUuid(m.incident.playbook.sha256),
        title: `Playbook ${m.incident.playbook.id} v${m.incident.playbook.version}`,
        description: `${m.incident.playbook.title}: pinned when ${m.incident.id} opened; its gap-assessment step is the plan these results follow.`,
        rlinks: [{ href: `urn:firebreak:playbook:${m.incident.playbook.id}:${m.incident.playbook.version}`, hashes: [{ algorithm: 'SHA-256', value: m.incident.playbook.sha256 }] }],
      },
      ...[...evidence.values()].map((e) => ({
        uuid: evidenceUuid(m.incident.id, e.id),
        title: `${e.id} ${e.name}`,
        props: [prop('evidence-id', e.id)],
        rlinks: [{ href: `urn:firebreak:evidence:${m.incident.id}:${e.id}`, hashes: [{ algorithm: 'SHA-256', value: e.sha256 }] }],
      })),
      ...m.signOffs.map((s) => ({
        uuid: uuidV5(`signed-report/${s.reportSha256}`),
        title: `Incident report signed by ${s.name} (${s.role})`,
        ...(s.reportEvidenceId ? { props: [prop('evidence-id', s.reportEvidenceId)] } : {}),
        rlinks: [{ href: `urn:firebreak:report:${s.reportSha256}`, 'media-type': 'application/json', hashes: [{ algorithm: 'SHA-256', value: s.reportSha256 }] }],
      })),
    ],
  };
}

const IMPLEMENTATION: Record<GapState, string> = {
  implemented: 'implemented',
  'partially-implemented': 'partial',
  'not-implemented': 'planned',
  'not-applicable': 'not-applicable',
};

/** What the responders found for one control, as an observation. */
export function observation(m: GapReportModel, c: ControlAssessment) {
  const description = c.state
    ? `${c.label} was ${c.state.replace(/-/g, ' ')} at the time of the incident.${c.gap ? ` ${c.state === 'not-applicable' ? 'Why not applicable' : 'Gap'}: ${c.gap}` : ''}`
    : `${c.label} has not been assessed yet.`;
  return {
    uuid: observationUuid(m.incident.id, c.controlId),
    title: `${c.label} ${c.control?.title ?? ''}`.trim(),
    description,
    ...(c.question ? { props: [prop('question', c.question)] } : {}),
    methods: ['EXAMINE', 'INTERVIEW'],
    types: ['control-objective'],
    ...(c.updatedBy ? { origins: [{ actors: [{ type: 'party', 'actor-uuid': partyUuid(c.updatedBy.name), 'role-id': roleId(c.updatedBy.role) }] }] } : {}),
    ...(c.evidence.length
      ? { 'relevant-evidence': c.evidence.map((e) => ({ href: `#${evidenceUuid(m.incident.id, e.id)}`, description: `${e.id} ${e.name} (SHA-256 ${e.sha256})` })) }
      : {}),
    collected: c.updatedAt ?? m.generatedAt,
  };
}

/** satisfied only when implemented (or not applicable); everything else, unassessed included, is not-satisfied. */
export function finding(m: GapReportModel, c: ControlAssessment) {
  const satisfied = c.state === 'implemented' || c.state === 'not-applicable';
  return {
    uuid: findingUuid(m.incident.id, c.controlId),
    title: `${c.label} ${c.control?.title ?? ''}`.trim(),
    description: c.gap ?? (c.state ? `${c.label}: ${c.state.replace(/-/g, ' ')}.` : `${c.label} has not been assessed yet.`),
    ...(isOpenGap(c.state) && (c.owner || c.dueDate)
      ? { props: [...(c.owner ? [prop('owner', c.owner)] : []), ...(c.dueDate ? [prop('due-date', c.dueDate)] : [])] }
      : {}),
    target: {
      type: 'objective-id',
      'target-id': `${c.controlId}_obj`,
      status: { state: satisfied ? 'satisfied' : 'not-satisfied', reason: c.state === 'implemented' ? 'pass' : isOpenGap(c.state) ? 'fail' : 'other' },
      ...(c.state ? { 'implementation-status': { state: IMPLEMENTATION[c.state] } } : {}),
    },
    'related-observations': [{ 'observation-uuid': observationUuid(m.incident.id, c.controlId) }],
  };
}
