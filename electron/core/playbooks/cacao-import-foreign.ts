/**
 * A CACAO playbook from another tool -> a Firebreak draft. CACAO knows nothing of NIST phases, gates or escalation,
 * so the draft keeps every step in workflow order, places steps in phases by their playbook activity, and leaves
 * what only the author can supply (objectives, controls, escalation criteria) for lint to ask for.
 */
import type { CacaoPlaybook, CacaoWorkflowStep } from '../../shared/playbook/cacao-types';
import { ATTACK_RE, slugify } from '../../shared/playbook/ids';
import { PHASE_IDS, PHASE_NIST_DEFAULTS, PHASE_TITLES, type PhaseId } from '../../shared/playbook/vocabulary';

/** What an import gives: the playbook as plain data, ready to be written as YAML and linted. */
export interface CacaoImport {
  data: Record<string, unknown>;
  lossless: boolean;
  notes: string[];
}

/** CACAO variable names may hold capitals and hyphens; parameter names may not. */
export function parameterName(cacaoName: string): string {
  const name = cacaoName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z]/.test(name) ? name : `p_${name}`;
}

/** `__name__:value` -> `{{name}}`. */
export const fromCacaoVariables = (text: string): string =>
  text.replace(/__([A-Za-z_][A-Za-z0-9_-]*)__:value/g, (_, name: string) => `{{${parameterName(name)}}}`);

const ACTIVITY_PHASE: Record<string, PhaseId> = {
  'restrict-access': 'containment',
  'disconnect-system': 'containment',
  'scan-system': 'detection-analysis',
  'match-indicator': 'detection-analysis',
  'analyze-collected-data': 'detection-analysis',
  'identify-indicators': 'detection-analysis',
  'scan-vulnerabilities': 'detection-analysis',
  'map-network': 'detection-analysis',
  'eliminate-risk': 'eradication',
  'configure-systems': 'eradication',
  'revert-system': 'eradication',
  'restore-data': 'recovery',
  'restore-capabilities': 'recovery',
  'compose-content': 'post-incident',
  'deliver-content': 'post-incident',
  'identify-audience': 'post-incident',
  'identify-channel': 'post-incident',
  'identify-steps': 'post-incident',
};

type DraftBody = Record<string, unknown> & { kind: string };
type DraftStep = DraftBody & { id: string };

const decode = (b64: string): string => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));

/** One CACAO workflow step as Firebreak steps: shell commands as command steps, everything else as checklist items. */
export function convertForeignSteps(step: CacaoWorkflowStep, key: string, taken: Set<string> = new Set()): DraftStep[] {
  const title = step.name?.trim() || key;
  const unique = (base: string) => {
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  };
  const base = slugify(title);
  const items: string[] = [];
  const steps: DraftBody[] = [];
  switch (step.type) {
    case 'if-condition':
    case 'while-condition':
    case 'switch-condition':
      items.push(`Check: ${step.condition ?? step.switch ?? step.description ?? title}`);
      break;
    case 'playbook-action':
      items.push(`Run CACAO playbook ${step.playbook_id ?? '(not named)'}`);
      break;
    case 'action':
      for (const c of step.commands ?? []) {
        const text = fromCacaoVariables(c.command ?? (c.command_b64 ? decode(c.command_b64) : (c.description ?? '')));
        if (c.type === 'bash' || c.type === 'powershell') {
          steps.push({
            kind: 'command',
            title,
            platform: 'shell',
            language: c.type,
            command: text,
            ...(c.description ? { detail: c.description } : {}),
          });
        } else if (c.type === 'manual') items.push(text);
        else items.push(`Run the ${c.type} command: ${text}`);
      }
      break;
    default:
      return [];
  }
  if (items.length) steps.unshift({ kind: 'checklist', title, items, ...(step.description ? { detail: step.description } : {}) });
  // Ids in step order: the first step of a CACAO step gets the plain name, the next ones -2, -3...
  return steps.map((s) => ({ id: unique(base), ...s }));
}

export function convertForeignPlaybook(doc: CacaoPlaybook, order: string[]): CacaoImport {
  const notes: string[] = ['converted from a CACAO playbook without Firebreak data: complete it, then run firebreak lint on it'];
  const phases = PHASE_IDS.map((id) => ({
    id,
    title: PHASE_TITLES[id],
    nist: PHASE_NIST_DEFAULTS[id],
    controls: [] as string[],
    steps: [] as DraftStep[],
    gate: { steps: [] as string[] },
  }));
  let current = 0;
  const taken = new Set<string>();
  for (const key of order) {
    const step = doc.workflow[key] as CacaoWorkflowStep;
    const activity = step.commands?.map((c) => c.playbook_activity).find((a) => a && ACTIVITY_PHASE[a]);
    const target = activity ? PHASE_IDS.indexOf(ACTIVITY_PHASE[activity] as PhaseId) : -1;
    // Phases only move forward, so the workflow's order is kept.
    if (target > current) current = target;
    const phase = phases[current];
    if (!phase) continue;
    for (const converted of convertForeignSteps(step, key, taken)) {
      phase.steps.push(converted);
      phase.gate.steps.push(converted.id);
    }
  }
  notes.push('phases were chosen from the commands\' playbook_activity; objectives and SP 800-53 controls are left for you');

  const parameters = Object.entries(doc.playbook_variables ?? {}).map(([name, v]) => ({
    name: parameterName(name.replace(/^__|__$/g, '')),
    label: v.description?.trim() || name.replace(/^__|__$/g, ''),
    type: v.type === 'uri' ? 'url' : 'string',
    required: v.value === undefined || v.value === null || v.value === '',
    ...(typeof v.value === 'string' && v.value ? { example: v.value } : {}),
  }));
  const attack = (doc.external_references ?? [])
    .filter((r) => r.external_id && ATTACK_RE.test(r.external_id))
    .map((r) => ({ id: r.external_id, name: r.name.replace(r.external_id ?? '', '').trim() || (r.external_id as string), tactics: [] }));
  if (attack.length) notes.push('ATT&CK techniques were taken from external_references: add their tactics');

  const severity = scale(doc.severity, [90, 'critical'], [70, 'high'], [40, 'medium'], [1, 'low']);
  if (!severity) notes.push('severity not given: set to medium, review it');
  const priority = doc.priority && doc.priority > 0 ? (doc.priority <= 10 ? 'urgent' : doc.priority <= 30 ? 'high' : doc.priority <= 60 ? 'medium' : 'low') : undefined;
  if (!priority) notes.push('priority not given: set to medium, review it');
  notes.push('CACAO has no escalation criteria: add them under triage.escalation');

  const data: Record<string, unknown> = {
    id: slugify(doc.name, 'playbook'),
    version: '1.0.0',
    title: doc.name,
    summary: doc.description ?? doc.name,
    ...(/^\d{4}-\d{2}-\d{2}/.test(doc.modified ?? '') ? { updated: doc.modified.slice(0, 10) } : {}),
    severity: severity ?? 'medium',
    triage: { priority: priority ?? 'medium', escalation: [] },
    parameters,
    mappings: attack.length ? { attack } : {},
    sources: [{ title: `CACAO playbook ${doc.name}`, id: doc.id }],
    phases,
  };
  return { data, lossless: false, notes };
}

function scale(value: number | undefined, ...steps: Array<[number, string]>): string | undefined {
  if (value === undefined) return undefined;
  return steps.find(([min]) => value >= min)?.[1];
}
