import { describe, expect, it } from 'vitest';
import { exportCacao } from '../../../electron/core/playbooks/cacao-export';
import { importCacao, workflowOrder } from '../../../electron/core/playbooks/cacao-import';
import { FirebreakError } from '../../../electron/core/errors';
import type { CacaoPlaybook } from '../../../electron/shared/playbook/cacao-types';
import { lintPlaybookText } from '../../../electron/shared/playbook/lint';
import type { Playbook } from '../../../electron/shared/playbook/schema';
import { playbookToYaml } from '../../../electron/shared/playbook/serialize';
import { catalog, SHIPPED, shipped, validateCacao, validateCacao2019 } from './support';

const exported = (id: string) => JSON.parse(JSON.stringify(exportCacao(shipped(id), { catalog }))) as CacaoPlaybook;
const actions = (doc: CacaoPlaybook) => workflowOrder(doc).map((k) => doc.workflow[k]!).filter((s) => s.type === 'action');

/** Import, write as YAML and read back through lint: the path a real import takes. */
function reimport(doc: unknown, options: { id?: string } = {}) {
  const result = importCacao(doc, options);
  const yaml = playbookToYaml(result.data);
  return { ...result, yaml, ...lintPlaybookText(yaml, { catalog }) };
}

const stepList = (p: Playbook) => p.phases.flatMap((ph) => ph.steps.map((s) => `${ph.id}/${s.id}`));

describe('CACAO v2.0 export', () => {
  it.each(SHIPPED)('%s is valid against the official CACAO schemas', (id) => {
    expect(validateCacao(exported(id))).toEqual([]);
  });

  /**
   * The published schemas declare draft-07 but use `unevaluatedProperties`, a 2019-09 keyword. Applied with 2019-09
   * semantics, commands/command-data.json forbids every property but type, description, version, playbook_activity
   * and external_references, so no command could carry its `command` text, which the specification requires of bash,
   * powershell and manual commands. That is the only complaint against our export under those semantics.
   */
  it.each(SHIPPED)('%s breaks nothing else under 2019-09 semantics than the known command-data defect', (id) => {
    const errors = validateCacao2019(exported(id));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).toMatchObject({ keyword: 'unevaluatedProperties', params: { unevaluatedProperty: 'command' } });
      expect(e.instancePath).toMatch(/^\/workflow\/action--[0-9a-f-]+\/commands\/\d+$/);
    }
  });

  it('keeps every step, in order, with its commands and CACAO variables', () => {
    const p = shipped('agent-destructive-action');
    const doc = exported('agent-destructive-action');
    expect(actions(doc).map((a) => a.name)).toEqual(p.phases.flatMap((ph) => ph.steps.map((s) => s.title)));
    const boundary = actions(doc).find((a) => a.name === 'Cap the agent role with a permissions boundary');
    expect(boundary?.commands).toEqual([
      {
        type: 'bash',
        command:
          'aws iam put-role-permissions-boundary --role-name __agent_role_name__:value --permissions-boundary arn:aws:iam::__aws_account_id__:value:policy/AgentMaxPermissions',
        description: 'aws command, for teams without an enterprise PAM or IGA tool',
        playbook_activity: 'eliminate-risk',
      },
    ]);
    expect(doc.playbook_variables?.__agent_role_name__).toMatchObject({ type: 'string', external: true });
    expect(doc.external_references).toContainEqual({
      name: 'T1485 Data Destruction',
      source: 'MITRE ATT&CK',
      external_id: 'T1485',
      url: 'https://attack.mitre.org/techniques/T1485/',
    });
  });

  it('is deterministic: the same playbook exports the same document', () => {
    expect(exported('agent-credential-exposure')).toEqual(exported('agent-credential-exposure'));
    expect(exported('agent-credential-exposure').id).not.toBe(exported('agent-change-freeze-breach').id);
  });
});

describe('CACAO import', () => {
  it.each(SHIPPED)('%s comes back from its export unchanged', (id) => {
    const back = reimport(exported(id));
    expect(back.problems).toEqual([]);
    expect(back.lossless).toBe(true);
    expect(back.playbook).toEqual(shipped(id));
  });

  it('takes step names, order and commands from the CACAO workflow, so edits in a CACAO tool survive', () => {
    const doc = exported('agent-destructive-action');
    const order = workflowOrder(doc);
    // Swap the two enumeration commands by relinking the chain, rename one, edit a command.
    const [a, b, c] = order.slice(2, 5) as [string, string, string];
    doc.workflow[order[1]!]!.on_completion = b;
    doc.workflow[b]!.on_completion = a;
    doc.workflow[a]!.on_completion = c;
    doc.workflow[b]!.name = 'Enumerate Azure agent principals';
    doc.workflow[a]!.commands![0]!.command = 'aws iam list-roles --profile __aws_account_id__:value';
    const back = reimport(doc);
    expect(back.problems).toEqual([]);
    const steps = back.playbook!.phases[0]!.steps;
    expect(steps.slice(1, 3).map((s) => [s.id, s.title])).toEqual([
      ['enumerate-azure-agent-principals', 'Enumerate Azure agent principals'],
      ['enumerate-aws-agent-roles', 'Enumerate agent roles in AWS'],
    ]);
    expect(steps[2]).toMatchObject({ kind: 'command', command: 'aws iam list-roles --profile {{aws_account_id}}' });
  });

  it('renames on request', () => {
    const back = reimport(exported('agent-change-freeze-breach'), { id: 'freeze-breach-copy' });
    expect(back.playbook?.id).toBe('freeze-breach-copy');
    expect(back.notes).toEqual(['id changed from agent-change-freeze-breach to freeze-breach-copy']);
  });

  it('turns a CACAO playbook from another tool into a draft that keeps its steps, order and commands', () => {
    const back = reimport(foreignPlaybook());
    expect(back.lossless).toBe(false);
    expect(back.data.id).toBe('quarantine-a-compromised-host');
    const draft = back.data as unknown as Playbook;
    expect(draft.severity).toBe('high');
    expect(draft.triage.priority).toBe('urgent');
    expect(draft.parameters).toEqual([
      { name: 'host_ip', label: 'Address of the host', type: 'string', required: false, example: '10.0.0.5' },
      { name: 'ticket_id', label: 'Ticket-ID', type: 'string', required: true },
    ]);
    expect(stepList(draft)).toEqual([
      'containment/block-the-host',
      'containment/is-the-host-still-reachable',
      'detection-analysis/collect-logs',
      'detection-analysis/collect-logs-2',
      'recovery/restore-service',
    ]);
    const [block, check] = draft.phases[0]!.steps;
    expect(block).toMatchObject({ kind: 'command', platform: 'shell', language: 'bash', command: 'iptables -A INPUT -s {{host_ip}} -j DROP' });
    expect(check).toMatchObject({ kind: 'checklist', items: ["Check: [ipv4-addr:value = '10.0.0.5']"] });
    expect(draft.phases[1]!.steps).toMatchObject([
      { kind: 'checklist', items: ['Export the firewall logs for ticket {{ticket_id}}'] },
      { kind: 'command', language: 'powershell', command: 'Get-WinEvent -LogName Security' },
    ]);
    expect(draft.mappings.attack).toEqual([{ id: 'T1486', name: 'Data Encrypted for Impact', tactics: [] }]);
    // What CACAO cannot say, lint asks for.
    const problems = back.problems.map((p) => p.message);
    expect(problems).toContain('triage > escalation: triage needs at least one escalation criterion');
    expect(problems).toContain('phase containment: missing "objective"');
    expect(problems).toContain('phase eradication > steps: a phase needs at least one step');
  });

  it('refuses what is not a CACAO 2.0 playbook, naming what is wrong', () => {
    try {
      importCacao({ type: 'bundle', spec_version: '2.1' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FirebreakError);
      expect((e as FirebreakError).message).toBe('This is not a CACAO v2.0 playbook.');
      expect((e as FirebreakError).details).toEqual(
        expect.arrayContaining(['type: type must be "playbook"', 'spec_version: spec_version must be "cacao-2.0"']),
      );
    }
  });
});

function foreignPlaybook(): CacaoPlaybook {
  const id = (type: string, n: number) => `${type}--00000000-0000-4000-8000-00000000000${n}`;
  const [start, block, check, collect, restore, end] = [
    id('start', 1),
    id('action', 2),
    id('if-condition', 3),
    id('action', 4),
    id('action', 5),
    id('end', 6),
  ];
  const doc: CacaoPlaybook = {
    type: 'playbook',
    spec_version: 'cacao-2.0',
    id: 'playbook--8e3a1c4e-5b7d-4f2a-9c1e-2d3f4a5b6c7d',
    name: 'Quarantine a compromised host',
    description: 'Isolate a host, collect its logs, bring it back.',
    created_by: 'identity--5c7d2b1a-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
    created: '2026-03-01T10:00:00.000Z',
    modified: '2026-03-02T10:00:00.000Z',
    severity: 80,
    priority: 5,
    playbook_variables: {
      __host_ip__: { type: 'ipv4-addr', description: 'Address of the host', value: '10.0.0.5' },
      '__Ticket-ID__': { type: 'string' },
    },
    external_references: [{ name: 'T1486 Data Encrypted for Impact', external_id: 'T1486' }],
    workflow_start: start,
    workflow: {
      [start]: { type: 'start', on_completion: block },
      [block]: {
        type: 'action',
        name: 'Block the host',
        agent: 'individual--6d8e3c2b-4f5a-4b6c-9d7e-8f9a0b1c2d3e',
        commands: [{ type: 'bash', command: 'iptables -A INPUT -s __host_ip__:value -j DROP', playbook_activity: 'restrict-access' }],
        on_completion: check,
      },
      [check]: { type: 'if-condition', name: 'Is the host still reachable?', condition: "[ipv4-addr:value = '10.0.0.5']", on_true: collect, on_false: end },
      [collect]: {
        type: 'action',
        name: 'Collect logs',
        agent: 'individual--6d8e3c2b-4f5a-4b6c-9d7e-8f9a0b1c2d3e',
        commands: [
          { type: 'manual', command: 'Export the firewall logs for ticket __Ticket-ID__:value', playbook_activity: 'analyze-collected-data' },
          { type: 'powershell', command: 'Get-WinEvent -LogName Security', playbook_activity: 'scan-system' },
        ],
        on_completion: restore,
      },
      [restore]: {
        type: 'action',
        name: 'Restore service',
        agent: 'individual--6d8e3c2b-4f5a-4b6c-9d7e-8f9a0b1c2d3e',
        commands: [{ type: 'manual', command: 'Re-enable the host', playbook_activity: 'restore-data' }],
        on_completion: end,
      },
      [end]: { type: 'end' },
    },
    agent_definitions: { 'individual--6d8e3c2b-4f5a-4b6c-9d7e-8f9a0b1c2d3e': { type: 'individual', name: 'Analyst' } },
  };
  // The test input is itself a valid CACAO playbook.
  expect(validateCacao(doc)).toEqual([]);
  return doc;
}
