/** A playbook as plain text for a terminal: header, triage, parameters, then each phase with its steps and gate. */
import { signerRoles } from '../../shared/signoff';
import { controlLabel } from '../../shared/playbook/ids';
import type { Step } from '../../shared/playbook/schema';
import type { PlaybookDetail } from '../../shared/playbook/types';
import { DEFAULT_LANGUAGE } from '../../shared/playbook/vocabulary';

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => by + l)
    .join('\n');

export function playbookOutline(detail: PlaybookDetail): string {
  const p = detail.playbook;
  const control = (id: string) => {
    const info = detail.controls[id];
    return info ? `${info.label} ${info.title}` : controlLabel(id);
  };
  const out: string[] = [
    `${p.id} v${p.version}  ${p.title}`,
    `  severity  ${p.severity}${p.cvss ? ` (CVSS ${p.cvss.score}${p.cvss.vector ? ` ${p.cvss.vector}` : ''})` : ''}`,
    `  triage    ${p.triage.priority}`,
    ...p.triage.escalation.map((e) => `    escalate to ${e.notify.join(', ')} when: ${e.when}`),
    `  sha256    ${detail.sha256} (${detail.origin})`,
    '',
    indent(p.summary, '  '),
  ];
  if (p.parameters.length) {
    out.push('', '  parameters');
    for (const param of p.parameters) {
      out.push(`    ${param.name.padEnd(24)} ${param.type.padEnd(14)} ${param.required ? 'required' : 'optional'}  e.g. ${param.example}`);
    }
  }
  const m = p.mappings;
  const mapped = [
    m.attack?.length ? `ATT&CK ${m.attack.map((t) => t.id).join(', ')}` : '',
    m.sp80053?.length ? `SP 800-53 ${m.sp80053.map(controlLabel).join(', ')}` : '',
    m.cis?.length ? `CIS v8 ${m.cis.map((c) => c.id).join(', ')}` : '',
    m.soc2?.length ? `SOC 2 ${m.soc2.map((c) => c.id).join(', ')}` : '',
    m.hipaa?.length ? `HIPAA ${m.hipaa.map((c) => c.id).join(', ')}` : '',
    m.owasp?.length ? `OWASP ${m.owasp.map((c) => c.id).join(', ')}` : '',
    m.pciDss?.length ? `PCI DSS ${m.pciDss.map((c) => c.id).join(', ')}` : '',
  ].filter(Boolean);
  if (mapped.length) out.push('', '  mappings', ...mapped.map((l) => `    ${l}`));
  p.phases.forEach((phase, i) => {
    out.push('', `${i + 1}. ${phase.title}  (${phase.nist.reference}; ${phase.nist.csf.join(', ')})`);
    out.push(indent(phase.objective, '   '));
    out.push(`   controls: ${phase.controls.map(control).join('; ')}${phase.cis?.length ? `; CIS ${phase.cis.join(', ')}` : ''}`);
    for (const step of phase.steps) out.push(...stepLines(step, control));
    out.push(`   gate: steps ${phase.gate.steps.join(', ')}${phase.gate.evidence?.length ? `; evidence ${phase.gate.evidence.join(', ')}` : ''}`);
  });
  return `${out.join('\n')}\n`;
}

function stepLines(step: Step, control: (id: string) => string): string[] {
  const head = `   - [${step.kind}] ${step.id}: ${step.title}${step.compensatingFor ? ` (without ${step.compensatingFor})` : ''}`;
  const body: string[] = [];
  switch (step.kind) {
    case 'checklist':
      body.push(...step.items.map((i) => `* ${i}`));
      break;
    case 'command':
      body.push(`${step.platform} (${step.language ?? DEFAULT_LANGUAGE[step.platform]}):`, indent(step.command, '  $ '));
      break;
    case 'evidence':
      body.push(...step.artifacts.map((a) => `* ${a.id}: ${a.name}`));
      break;
    case 'cloudtrail':
      body.push(`LookupEvents ${step.lookup.attribute}=${step.lookup.value}, last ${step.lookbackDays} days${step.eventNameMatches ? `, eventName ~ /${step.eventNameMatches}/` : ''}`);
      break;
    case 'agent-trace':
      body.push('done by an imported trace (firebreak trace import)', ...step.items.map((i) => `* ${i}`));
      break;
    case 'validation':
      body.push(`${step.mode} of ${step.target} (${step.checks.join(', ')})${step.baseline ? ` against ${step.baseline}` : ''}`);
      break;
    case 'gap-assessment':
      body.push(...step.controls.map((c) => `* ${control(c.id)}: ${c.question}`));
      break;
    case 'sign-off':
      // Who actually signs: IR lead, CISO and Legal always, plus the step's own roles (what the sign-off gate asks).
      body.push(`signed by ${signerRoles(step.roles).join(', ')}:`, ...step.attestations.map((a) => `* ${a.text}`));
      break;
    case 'decision':
      body.push(
        step.question,
        ...step.answers.map((a) => {
          const effects = [
            a.opens?.length ? `opens ${a.opens.join(', ')}` : '',
            a.skips?.length ? `skips ${a.skips.join(', ')}` : '',
            a.escalates?.length ? `escalates ${a.escalates.join(', ')}` : '',
            a.dataCategories?.length ? `regulated data: ${a.dataCategories.join(', ')}` : '',
          ].filter(Boolean);
          return `* ${a.label}${effects.length ? ` -> ${effects.join('; ')}` : ''}`;
        }),
      );
      break;
  }
  return [head, ...body.map((l) => indent(l, '       '))];
}
