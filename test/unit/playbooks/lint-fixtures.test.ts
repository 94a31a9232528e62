import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintPlaybookText } from '../../../electron/shared/playbook/lint';
import { catalog, fixture } from './support';

/**
 * Each broken fixture is test/fixtures/playbooks/valid.yaml with one defect; these are the exact problems lint
 * reports for it, as `line:col: message`.
 */
const EXPECTED: Record<string, string[]> = {
  'cis-not-in-mappings': [
    '38:18: phase containment > cis[1]: CIS safeguard 8.2 is not listed in mappings.cis, where its title belongs',
  ],
  'comment-apostrophe-quoted-placeholder': [
    '46:41: phase containment > step export-agent-role > command: has {{agent_role_name}} inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
  ],
  'compare-without-baseline': [
    '91:9: phase recovery > step compare: a compare step must name the validation step that captured its baseline (baseline: STEP_ID)',
  ],
  'cvss-mismatch': [
    '7:10: cvss > score: is 9.8, but the vector scores 8.8',
  ],
  'decision-opens-earlier-step': [
    '55:68: phase containment > step regulated-data-decision > answer affected > opens[0]: opens step "export-agent-role", which comes before this decision: it is already done or skipped by then',
  ],
  'duplicate-key': [
    '43:9: YAML: Map keys must be unique',
  ],
  'duplicate-step-id': [
    '82:15: phase eradication > step snapshot > id: duplicate id "snapshot": already used on line 45',
  ],
  'empty': [
    '1:1: the file holds no playbook: start with id, version, title and summary',
  ],
  'example-wrong-type': [
    '25:14: parameter restore_database_url > example: "the scratch database" is not a URL (postgres://..., mysql://..., sqlite:PATH, https://...)',
  ],
  'gate-step-of-other-phase': [
    '75:37: phase detection-analysis > gate > steps[1]: names step "least-privilege" of phase eradication: a gate can only require steps of its own phase',
  ],
  'gate-unknown-evidence': [
    '61:102: phase containment > gate > evidence[0]: names evidence "iam-snapshots", which no evidence step declares',
  ],
  'gate-unknown-step': [
    '83:21: phase eradication > gate > steps[0]: names step "least-privileges", which does not exist',
  ],
  'heredoc-placeholder': [
    `46:17: phase containment > step export-agent-role > command: has {{agent_role_name}} inside a here-document (<<EOF ... EOF), where no quoting protects a value: pass the value to the command as an argument instead (for psql, -v name=... and :'name' in the SQL)`,
  ],
  'invalid-regex': [
    '72:27: phase detection-analysis > step agent-activity > eventNameMatches: is not a valid regular expression: Invalid regular expression: /Delete|(Drop|Purge/: Unterminated group',
  ],
  'kql-comment-placeholder': [
    '47:44: phase containment > step export-agent-role > command: has {{agent_role_name}} inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
    '47:68: phase containment > step export-agent-role > command: has {{agent_role_name}} inside a comment: placeholders are not filled in there, so move it out of the comment',
  ],
  'lookback-beyond-90-days': [
    '73:23: phase detection-analysis > step agent-activity > lookbackDays: cannot exceed 90 days: LookupEvents only returns the last 90 days (use the S3 export for older records)',
  ],
  'malformed-attack-id': [
    '28:13: mappings > attack[0] > id: "T14850" is not an ATT&CK technique id (T1234 or T1234.001)',
  ],
  'malformed-control': [
    '108:19: phase post-incident > step gap-analysis > controls[0] > id: "AC2" is not an SP 800-53 control id (AC-2, AC-2(1) or ac-2.1)',
  ],
  'malformed-placeholder': [
    '71:48: phase detection-analysis > step agent-activity > lookup > value: has a malformed placeholder {{Agent-Role}}: parameter names are lower-case letters, digits and underscores',
  ],
  'missing-field': [
    '40:9: phase containment > step export-agent-role: missing "title"',
  ],
  'missing-phase': [
    '32:1: phases: missing phase post-incident',
  ],
  'phase-order': [
    '76:9: phase recovery > id: phase 3 must be eradication, not recovery (phases run containment, detection-analysis, eradication, recovery, post-incident)',
    '90:9: phase eradication > id: phase 4 must be recovery, not eradication (phases run containment, detection-analysis, eradication, recovery, post-incident)',
  ],
  'powershell-comment-placeholder': [
    '46:43: phase containment > step export-agent-role > command: has {{agent_role_name}} inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
    '46:70: phase containment > step export-agent-role > command: has {{agent_role_name}} inside a comment: placeholders are not filled in there, so move it out of the comment',
  ],
  'powershell-here-string': [
    `46:23: phase containment > step export-agent-role > command: has {{agent_role_name}} inside a here-string (@'...'@ or @"..."@), where no quoting protects a value: pass the value as an argument instead`,
  ],
  'quoted-placeholder': [
    '44:48: phase containment > step export-agent-role > command: has {{agent_role_name}} inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
  ],
  'tsql-comment-placeholder': [
    '45:32: phase containment > step export-agent-role > command: has {{agent_role_name}} inside a comment: placeholders are not filled in there, so move it out of the comment',
    '46:64: phase containment > step export-agent-role > command: has {{agent_role_name}} inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
  ],
  'two-documents': [
    '110:1: a file holds one playbook: found a second YAML document (remove the "---")',
  ],
  'undeclared-parameter': [
    '44:47: phase containment > step export-agent-role > command: uses {{agent_role_arn}}, which is not a declared parameter',
  ],
  'unknown-control': [
    '80:22: phase eradication > controls[1]: unknown SP 800-53 control "AC-99": it is not in the NIST catalog Firebreak ships (resources/nist)',
  ],
  'unknown-csf-category': [
    '64:48: phase detection-analysis > nist > csf[0]: "DE.XX-02" names no CSF 2.0 category (the categories are GV.OC, GV.RM, GV.RR, GV.PO, GV.OV, GV.SC, ID.AM, ID.RA, ID.IM, PR.AA, PR.AT, PR.DS, PR.PS, PR.IR, DE.CM, DE.AE, RS.MA, RS.AN, RS.CO, RS.MI, RC.RP, RC.CO)',
  ],
  'unknown-enhancement': [
    '29:19: mappings > sp80053[1]: unknown SP 800-53 control "AC-2(7)": it is not in the NIST catalog Firebreak ships (resources/nist); AC-2 is, but not this enhancement',
  ],
  'unknown-escalation': [
    '55:96: phase containment > step regulated-data-decision > answer affected > escalates[0]: escalates "legal-review", which is not a triage escalation id (regulated-data)',
  ],
  'unknown-field': [
    '40:9: phase containment > step export-agent-role: missing "command"',
    '44:9: phase containment > step export-agent-role: unknown field "comand" (did you mean "command"?)',
  ],
  'unknown-platform': [
    '43:19: phase containment > step export-agent-role > platform: "kubernetes" is not one of: aws, azure, gcp, active-directory, postgres, mysql, sqlserver, dynamodb, shell',
  ],
  'unknown-step-kind': [
    '58:15: phase containment > step brief-counsel: unknown step kind "script" (one of: checklist, command, evidence, cloudtrail, agent-trace, validation, gap-assessment, sign-off, decision)',
  ],
  'unquoted-colon': [
    '61:13: phase containment > step brief-counsel > items[0]: must be text, not a mapping (text containing ": " must be quoted)',
  ],
  'unquoted-number': [
    '31:13: mappings > cis[0] > id: must be text, not a number',
  ],
  'yaml-syntax': [
    '38:5: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ],
};

const lint = (file: string) =>
  lintPlaybookText(readFileSync(file, 'utf8'), { catalog }).problems.map((p) => `${p.line}:${p.col}: ${p.message}`);

describe('lint of broken playbooks', () => {
  it('passes the valid base fixture', () => {
    expect(lint(fixture('valid.yaml'))).toEqual([]);
  });

  it('has an expectation for every broken fixture, and at least 15 of them', () => {
    const files = readdirSync(fixture('broken')).map((f) => f.replace(/\.yaml$/, '')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(Object.entries(EXPECTED))('%s', (name, problems) => {
    expect(lint(fixture('broken', `${name}.yaml`))).toEqual(problems);
  });

  it('reports positions in the file even without a catalog, and leaves control ids unchecked then', () => {
    const text = readFileSync(fixture('broken', 'unknown-control.yaml'), 'utf8');
    expect(lintPlaybookText(text).problems).toEqual([]);
    expect(lintPlaybookText(text, { catalog }).problems).toHaveLength(1);
  });
});
