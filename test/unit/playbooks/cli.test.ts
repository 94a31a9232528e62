import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import type { CacaoPlaybook } from '../../../electron/shared/playbook/cacao-types';
import { playbookJsonSchemaText } from '../../../electron/shared/playbook/json-schema';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';
import { fixture, validateCacao } from './support';

/** Runs the CLI in-process, as the binary does, and captures what it prints. */
async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) }, { FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' });
  return { code, stdout, stderr };
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);

describe('firebreak lint', () => {
  it('passes the shipped playbooks (the default folder) with exit 0', async () => {
    const r = await cli(['lint']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '3 playbooks checked, no problems\n' });
  });

  it('prints every problem as file:line:col: message and exits 1', async () => {
    const file = fixture('broken', 'unknown-field.yaml');
    const r = await cli(['lint', fixture('valid.yaml'), file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${file}:40:9: phase containment > step export-agent-role: missing "command"\n` +
        `${file}:44:9: phase containment > step export-agent-role: unknown field "comand" (did you mean "command"?)\n`,
    );
    expect(r.stderr).toBe('2 problems in 1 of 2 playbooks\n');
  });

  it('lints a whole folder, every line in the same form, and never prints a stack trace', async () => {
    const r = await cli(['lint', fixture('broken')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(32);
    for (const line of lines) expect(line).toMatch(/^\/.+\/broken\/[a-z0-9-]+\.yaml:\d+:\d+: \S/);
    noStackTrace(r.stdout + r.stderr);
  });

  it('exits 2 naming the path it cannot read', async () => {
    const r = await cli(['lint', fixture('valid.yaml'), fixture('no-such-file.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`firebreak: cannot read ${fixture('no-such-file.yaml')}: no such file or folder`);
    noStackTrace(r.stderr);
  });

  it('reports two files with the same playbook id', async () => {
    const r = await cli(['lint', fixture('valid.yaml'), fixture('valid.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${fixture('valid.yaml')}:2:5: playbook id "fixture-playbook" is already used by ${fixture('valid.yaml')}\n`);
  });

  it('prints JSON with --json', async () => {
    const r = await cli(['lint', '--json', fixture('broken', 'cvss-mismatch.yaml')]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      files: [{ file: fixture('broken', 'cvss-mismatch.yaml'), problems: [{ line: 7, col: 10, message: 'cvss > score: is 9.8, but the vector scores 8.8' }] }],
      unreadable: [],
    });
  });

  it('runs as a real process: bin/firebreak.js lint', async () => {
    const r = await runFirebreak(['lint', 'test/fixtures/playbooks/broken/unknown-control.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'test/fixtures/playbooks/broken/unknown-control.yaml:80:22: phase eradication > controls[1]: unknown SP 800-53 control "AC-99": it is not in the NIST catalog Firebreak ships (resources/nist)\n',
    );
    expect(r.stderr).toBe('1 problem in 1 of 1 playbook\n');
  });
});

describe('firebreak playbook', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());
  const inData = (...args: string[]) => cli(['--data-dir', dir.path, 'playbook', ...args]);

  it('lists the library', async () => {
    const r = await inData('list');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^ID\s+VERSION\s+SEVERITY\s+TITLE$/);
    expect(r.stdout).toMatch(/^agent-destructive-action\s+1\.0\.0\s+high\s+AI agent destructive action in production$/m);
    const json = await inData('list', '--json');
    expect(JSON.parse(json.stdout)).toHaveLength(3);
  });

  it('shows phases, steps, commands, controls with titles, and gates', async () => {
    const r = await inData('show', 'agent-destructive-action');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1. Containment  (SP 800-61r3 §3.2; RS.MA-01, RS.MA-03, RS.MI-01)');
    expect(r.stdout).toContain('controls: AC-2 Account Management; AC-6 Least Privilege; IR-4 Incident Handling; CM-7 Least Functionality; CIS 5.1, 5.4');
    expect(r.stdout).toContain('$ Disable-ADAccount -Identity {{ad_agent_account}}');
    expect(r.stdout).toContain('gate: steps inventory-production-agents, snapshot-iam-state');
    // Every signer the gate asks for, Legal included, though the step itself names only IR lead and CISO.
    expect(r.stdout).toContain('signed by IR lead, CISO, Legal:');
    const missing = await inData('show', 'no-such-playbook');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^firebreak: There is no playbook "no-such-playbook"\. Known playbooks: agent-change-freeze-breach/);
  });

  it('exports CACAO to stdout or a file, and refuses other formats', async () => {
    const out = await inData('export', 'agent-change-freeze-breach', '--format', 'cacao');
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout) as CacaoPlaybook;
    expect(validateCacao(doc)).toEqual([]);
    const file = join(dir.path, 'freeze.cacao.json');
    expect((await inData('export', 'agent-change-freeze-breach', '--format', 'cacao', '--out', file)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(doc);
    const bad = await inData('export', 'agent-change-freeze-breach', '--format', 'stix');
    expect(bad).toMatchObject({ code: 2, stderr: 'firebreak: unknown export format "stix"; the only format is cacao\n' });
  });

  it('imports a CACAO file, refuses the same id twice, and exits 1 when the draft needs work', async () => {
    const file = join(dir.path, 'exposure.cacao.json');
    await inData('export', 'agent-credential-exposure', '--format', 'cacao', '--out', file);
    const again = await inData('import', file);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('A playbook with id "agent-credential-exposure" already exists');

    const ok = await inData('import', file, '--id', 'exposure-copy');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`imported exposure-copy -> ${join(dir.path, 'playbooks', 'exposure-copy.yaml')}\n  note: id changed from agent-credential-exposure to exposure-copy\n`);
    expect((await inData('list')).stdout).toMatch(/^exposure-copy\s+1\.0\.0/m);
    expect((await cli(['lint', join(dir.path, 'playbooks')])).code).toBe(0);

    const doc = JSON.parse(readFileSync(file, 'utf8')) as CacaoPlaybook;
    delete doc.playbook_extensions;
    const foreign = join(dir.path, 'foreign.json');
    writeFileSync(foreign, JSON.stringify(doc));
    const draft = await inData('import', foreign, '--id', 'exposure-draft');
    expect(draft.code).toBe(1);
    expect(draft.stdout).toContain(`${join(dir.path, 'playbooks', 'exposure-draft.yaml')}:`);
    expect(draft.stderr).toMatch(/the imported playbook has \d+ problem\(s\)/);
    const listed = await inData('list');
    expect(listed.stdout).not.toContain('exposure-draft');
    expect(listed.stderr).toContain('1 playbook file(s) left out because of problems');
  });

  it('exits 2 on an unreadable or invalid CACAO file', async () => {
    const missing = await inData('import', join(dir.path, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^firebreak: cannot read .*nope\.json/);
    const notCacao = join(dir.path, 'bundle.json');
    writeFileSync(notCacao, JSON.stringify({ type: 'bundle' }));
    const invalid = await inData('import', notCacao);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^firebreak: This is not a CACAO v2\.0 playbook\.\n {2}type: type must be "playbook"/);
  });

  it('prints the JSON Schema', async () => {
    const r = await cli(['playbook', 'schema']);
    expect(r).toEqual({ code: 0, stdout: playbookJsonSchemaText(), stderr: '' });
  });
});
