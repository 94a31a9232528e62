import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { playbookJsonSchema, playbookJsonSchemaText } from '../../../electron/shared/playbook/json-schema';
import type { Playbook, Step, StepOf } from '../../../electron/shared/playbook/schema';
import { quoteValue, renderCommand } from '../../../electron/shared/playbook/template';
import { DEFAULT_LANGUAGE, PHASE_IDS } from '../../../electron/shared/playbook/vocabulary';
import { repoRoot, SHIPPED, shipped, shippedText } from './support';

const steps = (p: Playbook): Step[] => p.phases.flatMap((phase) => phase.steps);
const phase = (p: Playbook, id: string) => p.phases.find((ph) => ph.id === id)!;
const commands = (p: Playbook) => steps(p).filter((s): s is StepOf<'command'> => s.kind === 'command');
const artifacts = (p: Playbook) => steps(p).flatMap((s) => (s.kind === 'evidence' ? s.artifacts : []));
const allText = (p: Playbook) => JSON.stringify(p);

describe('the shipped playbooks', () => {
  it('are exactly the three of the issue, one file each, and nothing else', () => {
    const files = readdirSync(join(repoRoot, 'playbooks')).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual([...SHIPPED].sort().map((id) => `${id}.yaml`));
  });

  it.each(SHIPPED)('%s lints clean, against the catalog, with the five phases in order', (id) => {
    const p = shipped(id);
    expect(p.id).toBe(id);
    expect(p.phases.map((ph) => ph.id)).toEqual([...PHASE_IDS]);
    for (const ph of p.phases) {
      expect(ph.nist.reference).toMatch(/^SP 800-61r3 §3\.[12]$/);
      expect(ph.gate.steps.length).toBeGreaterThan(0);
    }
  });

  it.each(SHIPPED)('%s renders every command with every placeholder filled in, as before the syntax checks', (id) => {
    const p = shipped(id);
    const examples = Object.fromEntries(p.parameters.map((param) => [param.name, param.example]));
    for (const step of commands(p)) {
      const language = step.language ?? DEFAULT_LANGUAGE[step.platform];
      const r = renderCommand(step.command, language, examples, p.parameters);
      expect(r, step.id).toMatchObject({ missing: [], unsafe: [], invalid: [] });
      // Filling every placeholder wherever it stands, as rendering did before it read the command's syntax.
      const everywhere = step.command.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/g, (_, name: string) => quoteValue(examples[name] ?? '', language));
      expect(r.text, step.id).toBe(everywhere);
    }
  });

  it('agree with the committed JSON Schema, which is up to date with the zod schema', () => {
    const committed = readFileSync(join(repoRoot, 'playbooks', 'playbook.schema.json'), 'utf8');
    expect(committed, 'run: firebreak playbook schema --out playbooks/playbook.schema.json').toBe(playbookJsonSchemaText());
    const validate = addFormats(new Ajv({ strict: false, allErrors: true })).compile(playbookJsonSchema());
    for (const id of SHIPPED) expect(validate(parse(shippedText(id))), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('agent-destructive-action (seed 000 in full)', () => {
  const p = shipped('agent-destructive-action');

  it('carries severity, CVSS, triage and both escalation criteria', () => {
    expect(p).toMatchObject({ severity: 'high', cvss: { score: 7.5 }, triage: { priority: 'urgent' } });
    const when = p.triage.escalation.map((e) => e.when).join(' ');
    expect(when).toMatch(/PII/);
    expect(when).toMatch(/PHI/);
    expect(when).toMatch(/financial records/);
    expect(when).toMatch(/backup systems/);
    for (const e of p.triage.escalation) expect(e.notify).toEqual(['CISO', 'Legal']);
  });

  it('cites the controls of every phase', () => {
    const expected: Record<string, string[]> = {
      containment: ['ac-2', 'ac-6', 'ir-4', 'cm-7'],
      'detection-analysis': ['au-2', 'au-6', 'au-12', 'si-4', 'ir-5'],
      eradication: ['ac-6', 'ac-2', 'cm-3', 'sa-11', 'si-2'],
      recovery: ['cp-9', 'cp-10', 'si-7', 'ir-4', 'au-6'],
      'post-incident': ['ac-2', 'ac-6', 'cm-3', 'si-12', 'ir-8', 'ra-3', 'au-11'],
    };
    const cis: Record<string, string[]> = {
      containment: ['5.1', '5.4'],
      'detection-analysis': ['8.2'],
      eradication: ['5.4', '6.1'],
      recovery: ['3.4'],
      'post-incident': ['7.1', '7.2'],
    };
    for (const [id, controls] of Object.entries(expected)) {
      expect(phase(p, id).controls).toEqual(controls);
      expect(phase(p, id).cis).toEqual(cis[id]);
    }
  });

  it('has every compensating command of the seed', () => {
    const text = commands(p).map((c) => c.command);
    const has = (fragment: string) => expect(text.some((t) => t.includes(fragment)), fragment).toBe(true);
    has("aws iam list-roles --query 'Roles[?contains(RoleName, `agent`) || contains(RoleName, `bot`) || contains(RoleName, `ai`)]'");
    has(`az ad sp list --all --query "[?contains(displayName,'agent')]"`);
    has('Get-ADServiceAccount -Filter * | Select Name, Enabled');
    has('Disable-ADAccount -Identity {{ad_agent_account}}');
    has(
      `aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue={{agent_username}} --start-time {{lookback_start}} | jq '.Events[] | select(.EventName | test("Delete|Drop|Purge|Terminate|Destroy"))'`,
    );
    has('AzureActivity | where Caller == {{azure_agent_principal}} and OperationNameValue contains "delete"');
    has('sys.fn_get_audit_file({{sql_audit_path}}, NULL, NULL)');
    has('server_principal_name = {{agent_db_login}}');
    has('aws iam put-role-permissions-boundary --role-name {{agent_role_name}} --permissions-boundary arn:aws:iam::{{aws_account_id}}:policy/AgentMaxPermissions');
    has('pg_restore --list {{pg_backup_file}}');
    has('mysqlcheck --all-databases');
    has('aws dynamodb scan --table-name {{dynamodb_table}} --select COUNT');
    has('aws iam get-role --role-name {{agent_role_name}} > agent_role_snapshot.json');
    has('aws iam list-role-policies --role-name {{agent_role_name}}');
    has('az role assignment list');
    has('aws iam get-role-policy');
    const daily = commands(p).find((c) => c.id === 'schedule-daily-destructive-call-report');
    expect(daily?.command).toMatch(/^0 7 \* \* \* aws cloudtrail lookup-events .*test\("Delete\|Drop\|Purge"\).*\| mail /);
    expect(commands(p).filter((c) => c.compensatingFor).length).toBeGreaterThanOrEqual(11);
  });

  it('preserves the evidence the seed lists', () => {
    const names = artifacts(p).map((a) => `${a.name}: ${a.accepts}`).join('\n');
    expect(names).toMatch(/IAM role and policy snapshots/);
    expect(names).toMatch(/30 days before containment[\s\S]*hashed on intake/);
    expect(names).toMatch(/credential report/i);
    expect(names).toMatch(/MySQL binlog, PostgreSQL WAL, SQL Server transaction log or DynamoDB Streams/);
    expect(names).toMatch(/LangChain traces, AutoGPT execution logs/);
    expect(phase(p, 'containment').gate.evidence).toEqual(['iam-policy-snapshot', 'credential-report', 'audit-log-30d']);
  });

  it('requires the three written sign-off conditions before the agent returns', () => {
    const signOff = steps(p).find((s): s is StepOf<'sign-off'> => s.id === 'reinstatement-sign-off');
    expect(signOff?.attestations.map((a) => a.text)).toEqual([
      'All affected data stores have been restored and integrity-validated against a pre-incident baseline.',
      "The agent's new IAM policy has passed peer review and is documented in the change record.",
      'Destructive API call alerting is active and has been tested.',
    ]);
    expect(phase(p, 'recovery').gate.steps).toContain('reinstatement-sign-off');
    expect(allText(p)).toMatch(/first 30 days/);
  });

  it('runs the post-incident gap analysis over AC-2, AC-6, CM-3 and SI-12', () => {
    const gap = steps(p).find((s): s is StepOf<'gap-assessment'> => s.kind === 'gap-assessment');
    expect(gap?.controls.map((c) => c.id)).toEqual(['ac-2', 'ac-6', 'cm-3', 'si-12']);
  });

  it('maps every framework of the seed', () => {
    expect(p.mappings.attack?.map((t) => t.id)).toEqual(['T1485', 'T1078', 'T1490', 'T1059', 'T1548', 'T1565']);
    expect(p.mappings.sp80053).toEqual(['ac-2', 'ac-6', 'ia-2', 'ia-5', 'cp-9', 'cp-10', 'cm-7', 'si-3', 'si-4', 'si-7', 'cm-6', 'ac-3', 'at-2']);
    expect(p.mappings.soc2?.map((c) => c.id)).toEqual(['CC6.1']);
    expect(p.mappings.hipaa?.map((c) => c.id)).toEqual(['164.312(a)(1)']);
    expect(p.mappings.owasp?.map((c) => c.id)).toEqual(['A01:2021']);
    expect(p.mappings.cis?.map((c) => c.id)).toEqual(expect.arrayContaining(['5.4', '6.8', '3.3', '6.1', '6.2', '14.2']));
    expect(p.mappings.cwe?.map((c) => c.id)).toEqual(['CWE-269', 'CWE-284', 'CWE-732', 'CWE-862']);
  });

  it('asks about regulated data and opens the counsel briefing only when it is affected', () => {
    const decision = steps(p).find((s): s is StepOf<'decision'> => s.id === 'regulated-data-decision');
    expect(decision?.multiple).toBe(true);
    const byId = Object.fromEntries(decision!.answers.map((a) => [a.id, a]));
    expect(byId['health-data']).toMatchObject({ opens: ['brief-counsel'], escalates: ['regulated-data'], dataCategories: ['health'] });
    expect(byId['no-regulated-data']?.opens).toBeUndefined();
  });
});

describe('agent-credential-exposure (seeds 002 and 003)', () => {
  const p = shipped('agent-credential-exposure');
  const text = allText(p);

  it('covers the seed actions', () => {
    expect(text).toMatch(/Confluence, Notion, Google Docs/);
    expect(text).toMatch(/environment=production\|staging\|development and agent_accessible=true\|false/);
    expect(text).toMatch(/TTL of 24 hours or less/);
    expect(text).toMatch(/allowlist/);
    expect(text).toMatch(/DELETE, DROP or TRUNCATE/);
    expect(text).toMatch(/out of band|outside the agent's workspace/);
    expect(text).toMatch(/nine seconds/);
    expect(p.mappings.pciDss?.map((c) => c.id)).toEqual(['7.2.2']);
    expect(p.mappings.soc2?.map((c) => c.id)).toEqual(['CC6.1', 'CC6.6']);
  });

  it('traces the exposed key by AccessKeyId', () => {
    const trace = steps(p).find((s): s is StepOf<'cloudtrail'> => s.kind === 'cloudtrail');
    expect(trace?.lookup).toEqual({ attribute: 'AccessKeyId', value: '{{exposed_access_key_id}}' });
  });
});

describe('agent-change-freeze-breach (seeds 001 and 004)', () => {
  const p = shipped('agent-change-freeze-breach');
  const text = allText(p);

  it('covers the seed actions', () => {
    expect(text).toMatch(/within 60 seconds/);
    expect(text).toMatch(/read, write-safe, write-risky or destructive/);
    expect(text).toMatch(/agent cannot|cannot write to/);
    expect(text).toMatch(/named owner/);
    expect(text).toMatch(/offboarding/);
    expect(text).toMatch(/monthly/);
    expect(phase(p, 'eradication').controls).toContain('cm-3.1');
    const signOff = steps(p).find((s): s is StepOf<'sign-off'> => s.id === 'reinstatement-sign-off');
    expect(signOff?.attestations.map((a) => a.id)).toContain('kill-switch-tested');
  });

  it('checks its CVSS vector', () => {
    expect(p.cvss).toEqual({ score: 8.1, vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:H' });
  });
});
