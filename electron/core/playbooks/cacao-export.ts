/**
 * Firebreak playbook -> OASIS CACAO v2.0. Every step becomes an action step in one chain (start, the steps of each phase
 * in order, end), with its commands in CACAO form and `{{param}}` placeholders as CACAO variables (`__param__:value`).
 * What CACAO has no field for (phases, gates, step kinds, decisions) travels in a Firebreak extension, so importing the
 * export gives back the same playbook.
 */
import type { ControlCatalog } from '../../shared/playbook/catalog';
import {
  CACAO_UUID_NAMESPACE,
  type CacaoCommand,
  type CacaoExternalReference,
  type CacaoPlaybook,
  type CacaoWorkflowStep,
  FIREBREAK_EXTENSION_ID,
  FIREBREAK_IDENTITY_ID,
  RESPONDER_AGENT_ID,
} from '../../shared/playbook/cacao-types';
import { attackUrl, controlLabel } from '../../shared/playbook/ids';
import type { Phase, Playbook, Step } from '../../shared/playbook/schema';
import { DEFAULT_LANGUAGE, type PhaseId } from '../../shared/playbook/vocabulary';
import { derivedUuid4, uuid5 } from './cacao-ids';

export const PLAYBOOK_TYPES = ['investigation', 'mitigation', 'remediation'];

/** The CACAO activity each phase mostly performs (playbook-activity-type-ov). */
const PHASE_ACTIVITY: Record<PhaseId, string> = {
  containment: 'restrict-access',
  'detection-analysis': 'analyze-collected-data',
  eradication: 'eliminate-risk',
  recovery: 'restore-data',
  'post-incident': 'identify-steps',
};

const PRIORITY = { urgent: 1, high: 10, medium: 50, low: 90 } as const;
const SEVERITY = { low: 25, medium: 50, high: 75, critical: 95 } as const;

/** `{{ name }}` -> `__name__:value`, the CACAO way of referencing a playbook variable in a command. */
export const toCacaoVariables = (text: string): string => text.replace(/\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g, '__$1__:value');

export interface CacaoExportOptions {
  /** Titles of SP 800-53 controls in the external references. */
  catalog?: ControlCatalog;
  /** The created/modified time when the playbook has no `updated` date. */
  now?: Date;
}

export function exportCacao(playbook: Playbook, options: CacaoExportOptions = {}): CacaoPlaybook {
  const stepId = (s: Step) => `action--${derivedUuid4(`firebreak:${playbook.id}:step:${s.id}`)}`;
  const startId = `start--${derivedUuid4(`firebreak:${playbook.id}:start`)}`;
  const endId = `end--${derivedUuid4(`firebreak:${playbook.id}:end`)}`;
  const ordered = playbook.phases.flatMap((phase) => phase.steps.map((step) => ({ phase, step })));

  const workflow: Record<string, CacaoWorkflowStep> = {};
  workflow[startId] = { type: 'start', name: `Start: ${playbook.title}`, on_completion: ordered[0] ? stepId(ordered[0].step) : endId };
  const activities = new Set<string>();
  ordered.forEach(({ phase, step }, i) => {
    const next = ordered[i + 1];
    const commands = commandsOf(step, phase, playbook);
    commands.forEach((c) => c.playbook_activity && activities.add(c.playbook_activity));
    const description = [`${phase.title}.`, step.detail, step.kind === 'command' ? step.expect : undefined].filter(Boolean).join(' ');
    workflow[stepId(step)] = {
      type: 'action',
      name: step.title,
      description,
      on_completion: next ? stepId(next.step) : endId,
      agent: RESPONDER_AGENT_ID,
      commands,
      step_extensions: { [FIREBREAK_EXTENSION_ID]: { phase: phase.id, step } },
    };
  });
  workflow[endId] = { type: 'end', name: 'End' };

  const time = playbook.updated ? `${playbook.updated}T00:00:00.000Z` : (options.now ?? new Date()).toISOString();
  const variables = Object.fromEntries(
    playbook.parameters.map((p) => [
      `__${p.name}__`,
      {
        type: p.type === 'url' ? 'uri' : 'string',
        description: `${p.label}${p.description ? `: ${p.description}` : ''} (${p.type}${p.required ? ', required' : ''}; e.g. ${p.example})`,
        constant: false,
        external: true,
      },
    ]),
  );
  const { phases, ...header } = playbook;

  return {
    type: 'playbook',
    spec_version: 'cacao-2.0',
    id: `playbook--${uuid5(CACAO_UUID_NAMESPACE, JSON.stringify({ name: playbook.title, playbook_types: PLAYBOOK_TYPES }))}`,
    name: playbook.title,
    description: playbook.summary,
    playbook_types: PLAYBOOK_TYPES,
    playbook_activities: [...activities],
    created_by: FIREBREAK_IDENTITY_ID,
    created: time,
    modified: time,
    priority: PRIORITY[playbook.triage.priority],
    severity: playbook.cvss ? Math.max(1, Math.round(playbook.cvss.score * 10)) : SEVERITY[playbook.severity],
    labels: [`firebreak-id:${playbook.id}`, `version:${playbook.version}`, `severity:${playbook.severity}`, `triage:${playbook.triage.priority}`],
    ...(externalReferences(playbook, options.catalog).length ? { external_references: externalReferences(playbook, options.catalog) } : {}),
    ...(playbook.parameters.length ? { playbook_variables: variables } : {}),
    workflow_start: startId,
    workflow,
    playbook_extensions: {
      [FIREBREAK_EXTENSION_ID]: { playbook: { ...header, phases: phases.map(({ steps: _steps, ...phase }) => phase) } },
    },
    agent_definitions: { [RESPONDER_AGENT_ID]: { type: 'individual', name: 'Incident responder' } },
    extension_definitions: {
      [FIREBREAK_EXTENSION_ID]: {
        type: 'extension-definition',
        name: 'Firebreak playbook',
        description:
          'Phases (NIST SP 800-61r3), gates, step kinds, parameters and framework mappings of a Firebreak playbook. playbook_extensions carries the playbook without its steps; each step_extensions carries its phase and step.',
        created_by: FIREBREAK_IDENTITY_ID,
        schema: 'urn:firebreak:playbook-extension:1',
        version: '1.0.0',
      },
    },
  };
}

function commandsOf(step: Step, phase: Phase, playbook: Playbook): CacaoCommand[] {
  const activity = step.kind === 'cloudtrail' ? 'analyze-collected-data' : PHASE_ACTIVITY[phase.id];
  const manual = (command: string): CacaoCommand => ({ type: 'manual', command: toCacaoVariables(command), playbook_activity: activity });
  switch (step.kind) {
    case 'checklist':
      return step.items.map(manual);
    case 'command': {
      const language = step.language ?? DEFAULT_LANGUAGE[step.platform];
      const type = language === 'bash' || language === 'powershell' ? language : 'manual';
      const runIn = language === 'kql' ? 'KQL query (Azure Log Analytics)' : language === 'tsql' ? 'T-SQL query (SQL Server)' : `${step.platform} command`;
      const description = `${runIn}${step.compensatingFor ? `, for teams without ${step.compensatingFor}` : ''}`;
      return [{ type, command: toCacaoVariables(step.command), description, playbook_activity: activity }];
    }
    case 'evidence':
      return step.artifacts.map((a) => manual(`Collect and hash "${a.name}": ${a.accepts}`));
    case 'cloudtrail': {
      const filter = [
        step.eventNameMatches ? `keep events whose name matches /${step.eventNameMatches}/` : '',
        step.readOnly === undefined ? '' : `keep ${step.readOnly ? 'read-only' : 'mutating'} events only`,
      ].filter(Boolean);
      return [
        manual(
          `Pull CloudTrail LookupEvents with ${step.lookup.attribute}=${step.lookup.value} over the last ${step.lookbackDays} days${filter.length ? `; ${filter.join('; ')}` : ''}. ${step.analysis}`,
        ),
      ];
    }
    case 'agent-trace':
      return [manual(`Import the agent's traces (OpenTelemetry GenAI spans or LangSmith runs) and reconstruct its decision chain: ${step.items.join(' ')}`)];
    case 'validation': {
      const checks = step.checks.join(', ');
      if (step.mode === 'baseline') return [manual(`Capture a baseline (${checks}) of ${step.target}.`)];
      const base = playbook.phases.flatMap((p) => p.steps).find((s) => s.id === step.baseline);
      return [manual(`Compare ${step.target} with the baseline of "${base?.title ?? step.baseline}" (${checks}); every table must match.`)];
    }
    case 'gap-assessment':
      return step.controls.map((c) => manual(`${controlLabel(c.id)}: ${c.question}`));
    case 'sign-off':
      return step.attestations.map((a) => manual(`${step.roles.join(' and ')} sign: ${a.text}`));
    case 'decision':
      return [manual(`Decide: ${step.question} Answers: ${step.answers.map((a) => a.label).join('; ')}.`)];
  }
}

function externalReferences(playbook: Playbook, catalog?: ControlCatalog): CacaoExternalReference[] {
  const m = playbook.mappings;
  return [
    ...(m.attack ?? []).map((t) => ({ name: `${t.id} ${t.name}`, source: 'MITRE ATT&CK', external_id: t.id, url: attackUrl(t.id) })),
    ...(m.sp80053 ?? []).map((id) => {
      const title = catalog?.get(id)?.title;
      return { name: `${controlLabel(id)}${title ? ` ${title}` : ''}`, source: 'NIST SP 800-53 Rev. 5', external_id: controlLabel(id) };
    }),
    ...(m.cwe ?? []).map((c) => ({
      name: `${c.id} ${c.title}`,
      source: 'MITRE CWE',
      external_id: c.id,
      url: `https://cwe.mitre.org/data/definitions/${c.id.slice(4)}.html`,
    })),
  ];
}
