import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteValue, renderCommand, scanTemplate } from '../../../electron/shared/playbook/template';

const NASTY = [
  "O'Brien",
  'a b\tc',
  '$(touch /tmp/firebreak-pwned)',
  '`id`; rm -rf / #',
  'back\\slash "double" \'single\'',
  'line one\nline two',
  'ünïcødé ‘curly’',
];

describe('quoting parameter values', () => {
  it.each(NASTY)('POSIX shell quoting survives a real sh: %j', (value) => {
    const command = renderCommand('printf %s {{v}}', 'bash', { v: value }).text;
    const run = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
    expect(run.stdout).toBe(value);
  });

  it('leaves plain words unquoted, like shlex.quote', () => {
    expect(quoteValue('arn:aws:iam::123456789012:role/ai-ops-agent', 'bash')).toBe('arn:aws:iam::123456789012:role/ai-ops-agent');
    expect(quoteValue('ir-team@example.com', 'bash')).toBe('ir-team@example.com');
    expect(quoteValue('two words', 'bash')).toBe("'two words'");
    expect(quoteValue("it's", 'bash')).toBe(`'it'"'"'s'`);
    expect(quoteValue('', 'bash')).toBe("''");
  });

  it('doubles single quotes (straight and typographic) for PowerShell', () => {
    expect(quoteValue("O'Brien", 'powershell')).toBe("'O''Brien'");
    expect(quoteValue('svc‘agent’', 'powershell')).toBe("'svc‘‘agent’’'");
    expect(quoteValue('$env:PATH; `whoami`', 'powershell')).toBe("'$env:PATH; `whoami`'");
  });

  it('writes KQL and T-SQL string literals', () => {
    expect(quoteValue("a'b\\c\nd", 'kql')).toBe("'a\\'b\\\\c\\nd'");
    expect(quoteValue("x'; DROP TABLE t; --", 'tsql')).toBe("N'x''; DROP TABLE t; --'");
  });
});

describe('rendering a command', () => {
  const parameters = [
    { name: 'agent_role_arn', type: 'arn' as const },
    { name: 'tables', type: 'list' as const },
    { name: 'start', type: 'datetime' as const },
  ];

  it('fills every placeholder, spaces allowed inside the braces', () => {
    const r = renderCommand('aws iam get-role --role-name {{ role }} --x {{role}}', 'bash', { role: 'ai agent' });
    expect(r).toEqual({ text: "aws iam get-role --role-name 'ai agent' --x 'ai agent'", missing: [], invalid: [], unsafe: [] });
  });

  it('keeps the placeholders it has no value for and names them', () => {
    const r = renderCommand('Disable-ADAccount -Identity {{ad_agent_account}}', 'powershell', {});
    expect(r).toEqual({ text: 'Disable-ADAccount -Identity {{ad_agent_account}}', missing: ['ad_agent_account'], invalid: [], unsafe: [] });
  });

  it('reports values that do not fit their type, and still quotes them', () => {
    const r = renderCommand('x {{agent_role_arn}} {{start}}', 'bash', { agent_role_arn: 'not an arn', start: 'yesterday' }, parameters);
    expect(r.text).toBe("x 'not an arn' yesterday");
    expect(r.invalid).toEqual([
      'agent_role_arn is not an ARN (arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE)',
      'start is not an ISO 8601 date or date-time (2026-05-01 or 2026-05-01T10:39:55Z)',
    ]);
  });

  it('refuses to let a value pose as an option', () => {
    expect(renderCommand('aws s3 ls {{v}}', 'bash', { v: '--profile=evil' }).invalid).toEqual([
      "v starts with '-', which a command would read as an option",
    ]);
  });

  it('renders list values item by item for each language', () => {
    const values = { tables: "orders, o'clock" };
    expect(renderCommand('t {{tables}}', 'bash', values, parameters).text).toBe(`t orders 'o'"'"'clock'`);
    expect(renderCommand('t {{tables}}', 'powershell', values, parameters).text).toBe("t 'orders','o''clock'");
    expect(renderCommand('t in ({{tables}})', 'tsql', values, parameters).text).toBe("t in (N'orders', N'o''clock')");
  });
});

describe('scanning a template', () => {
  it('finds placeholders, including inside $(...) within double quotes, which is not quoted', () => {
    const { uses, problems } = scanTemplate('x "$(aws iam y --arn {{agent_role_arn}})" {{b}}', 'bash');
    expect(uses.map((u) => u.name)).toEqual(['agent_role_arn', 'b']);
    expect(problems).toEqual([]);
  });

  it.each([
    ['bash', "jq '.x == {{v}}'"],
    ['bash', 'echo "{{v}}"'],
    ['powershell', "Get-X -Name '{{v}}'"],
    ['kql', 'T | where Caller == "{{v}}"'],
    ['tsql', "WHERE name = '{{v}}'"],
  ] as const)('flags a placeholder inside quotes (%s: %s)', (language, template) => {
    expect(scanTemplate(template, language).problems.map((p) => p.message)).toEqual([
      'has {{v}} inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
    ]);
  });

  it('is not fooled by escaped or doubled quotes', () => {
    expect(scanTemplate("echo it\\'s {{v}}", 'bash').problems).toEqual([]);
    expect(scanTemplate("WHERE a = 'it''s' AND b = {{v}}", 'tsql').problems).toEqual([]);
    expect(scanTemplate("Write-Host 'it''s' {{v}}", 'powershell').problems).toEqual([]);
  });

  it('reports malformed and unterminated placeholders', () => {
    expect(scanTemplate('a {{Bad-Name}} b {{ok', 'bash').problems.map((p) => p.message)).toEqual([
      'has a malformed placeholder {{Bad-Name}}: parameter names are lower-case letters, digits and underscores',
      'has "{{" without a closing "}}"',
    ]);
  });
});
