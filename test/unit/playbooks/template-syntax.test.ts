/**
 * Where a placeholder stands in its command's syntax. A quoted value is only safe in a plain word: inside quotes, a
 * comment, a here-document or here-string, after an escape or inside an expansion, its quotes are text or end the
 * construct around it. The POSIX shell cases run through real shells with a value that creates a file when it escapes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PlaceholderContext, quoteValue, renderCommand, scanTemplate } from '../../../electron/shared/playbook/template';
import type { CommandLanguage } from '../../../electron/shared/playbook/vocabulary';

/** sh (dash on Debian, bash elsewhere) and bash, whichever are installed. */
const SHELLS = ['sh', 'bash'].filter((sh) => spawnSync(sh, ['-c', 'true']).status === 0);
const HOSTILE = 'x$(touch PWNED)';

/** The shells in which running the command, in a fresh directory, created PWNED. */
function pwned(command: string): string[] {
  return SHELLS.filter((sh) => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-template-'));
    try {
      spawnSync(sh, ['-c', command], { cwd: dir, input: '', timeout: 5000 });
      return existsSync(join(dir, 'PWNED'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** What rendering did before it read the syntax: every placeholder filled in wherever it stood. */
const fillEverywhere = (template: string, value: string, language: CommandLanguage = 'bash') =>
  template.replace(/\{\{\s*v\s*\}\}/g, () => quoteValue(value, language));

const contexts = (template: string, language: CommandLanguage) => scanTemplate(template, language).uses.map((u) => u.context);

describe('POSIX shell placeholders that quoting cannot protect', () => {
  it('has a shell to run the commands in', () => {
    expect(SHELLS).toContain('sh');
  });

  // Each of these ran the value's command substitution when the old renderer filled the placeholder in.
  it.each([
    // echo, so that the commands run nothing but their expansions.
    ['an apostrophe in a comment before a quoted placeholder', "# it's the agent role\necho aws iam get-role --role-name '{{v}}'"],
    ['an unquoted here-document', 'cat <<EOF > note.txt\nrole: {{v}}\nEOF'],
    ['a here-document after an ordinary first line', 'echo start\ncat <<-EOF > note.txt\n\trole: {{v}}\n\tEOF\necho done'],
    ['a backslash before the placeholder', "echo \\{{v}} # it's the role"],
    ['double quotes nested in ${...} inside double quotes', 'echo "${UNSET_FIREBREAK:-"{{v}}"}"'],
    ['a case statement inside "$(...)"', 'echo "$(case a in a) echo "{{v}}";; esac)"'],
  ])('%s: renders nothing executable, and lint says so', (_, template) => {
    expect(pwned(fillEverywhere(template, HOSTILE)), 'the old rendering was exploitable').not.toEqual([]);
    const r = renderCommand(template, 'bash', { v: HOSTILE });
    expect(r.text).toBe(template);
    expect(r.text).not.toContain(HOSTILE);
    expect(r.unsafe).toEqual(['v']);
    expect(pwned(r.text)).toEqual([]);
    expect(scanTemplate(template, 'bash').problems).toHaveLength(1);
  });

  it('reports the quoted placeholder after a comment with an apostrophe, with a message the UI can show', () => {
    const template = "# it's the agent role\naws iam get-role --role-name '{{role}}'";
    expect(scanTemplate(template, 'bash').problems).toEqual([
      {
        index: 52,
        raw: '{{role}}',
        message: 'has {{role}} inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
      },
    ]);
    expect(renderCommand(template, 'bash', { role: HOSTILE })).toEqual({
      text: template,
      missing: [],
      unsafe: ['role'],
      invalid: [
        '{{role}} on line 2 is not filled in, because it is inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
      ],
    });
  });

  it('ignores quotes in a comment, so the placeholder after it is filled in and holds in a real shell', () => {
    for (const value of [HOSTILE, "O'Brien", 'two words', '`touch PWNED`']) {
      const command = renderCommand("# it's the agent role\nprintf %s {{v}} # and {{v}}", 'bash', { v: value });
      expect(command.unsafe).toEqual(['v']);
      for (const sh of SHELLS) expect(spawnSync(sh, ['-c', command.text], { encoding: 'utf8' }).stdout).toBe(value);
      expect(pwned(command.text)).toEqual([]);
    }
  });

  it.runIf(SHELLS.includes('bash'))('does not fill [[ ... ]], where bash evaluates even a quoted value as arithmetic', () => {
    const template = '[[ 1 -eq {{v}} ]] && echo one';
    const value = 'a[$(touch PWNED)]';
    expect(pwned(fillEverywhere(template, value)), 'the old rendering was exploitable').toContain('bash');
    const r = renderCommand(template, 'bash', { v: value });
    expect(r).toMatchObject({ text: template, unsafe: ['v'] });
    expect(pwned(r.text)).toEqual([]);
    expect(contexts('[ 1 -eq {{v}} ] && [[ -n {{v}} ]] && echo {{v}}', 'bash')).toEqual(['word', 'expansion', 'word']);
  });

  it('fills placeholders on the line of a here-document operator and after its end, not in its body', () => {
    const template = "printf '%s|' {{v}} <<'SQL'\nSELECT {{v}};\nSQL\nprintf %s {{v}}";
    expect(contexts(template, 'bash')).toEqual(['word', 'heredoc', 'word']);
    const r = renderCommand(template, 'bash', { v: HOSTILE });
    expect(r.text).toContain('SELECT {{v}};');
    for (const sh of SHELLS) expect(spawnSync(sh, ['-c', r.text], { encoding: 'utf8' }).stdout).toBe(`${HOSTILE}|${HOSTILE}`);
    expect(pwned(r.text)).toEqual([]);
  });

  it.each<[string, PlaceholderContext[]]>([
    ['echo a#{{v}} # {{v}}', ['word', 'comment']],
    ['echo "$(aws iam y --arn {{v}})" "{{v}}" \'{{v}}\'', ['word', 'quoted', 'quoted']],
    ['echo \\{{v}} ${{v}} {{v}}', ['escaped', 'expansion', 'word']],
    ['echo `echo {{v}}` $(( {{v}} + 1 )) (( {{v}} )) {{v}}', ['expansion', 'expansion', 'expansion', 'word']],
    ["echo $'it''s' {{v}} $'it\\'s' {{v}}", ['word', 'unfollowable']],
    ['echo ${HOME} ${x:-{{v}}} {{v}}', ['unfollowable', 'unfollowable']],
    ['cat <<{{v}}\nbody\n{{v}}\necho {{v}}', ['unfollowable', 'unfollowable', 'unfollowable']],
    ['cat <<EOF\nbody \\\nEOF\n{{v}}\nEOF\necho {{v}}', ['heredoc', 'word']],
    ['cat <<EOF\nbody\nEO\\\nF\necho {{v}}', ['unfollowable']],
    ['x=$(case a in a) echo;; esac) {{v}}', ['unfollowable']],
    ['cat <<< {{v}}; echo \\\n# {{v}}', ['word', 'comment']],
  ])('knows where the placeholders stand in %j', (template, expected) => {
    expect(contexts(template, 'bash')).toEqual(expected);
  });

  it('says where it stopped following the syntax', () => {
    expect(scanTemplate('echo "${x:-"a"}"\necho {{v}}', 'bash').problems.map((p) => p.message)).toEqual([
      'has {{v}} after ${...} with quotes, braces or an expansion inside (line 1 of the command), which Firebreak cannot follow safely: simplify the ${...}, or move the placeholder before it',
    ]);
  });

  it('never lets a value run, whatever shell syntax surrounds the placeholder (seeded random templates)', () => {
    const fragments = [
      'echo a', ' ', '\n', "'", '"', '#', "# it's", '$(', ')', '(', '\\', '${x:-', '}', '`', '<<EOF\n', "<<'EOF'\n",
      '\nEOF\n', "$'", '$((', '))', ';', '|', ' {{v}} ', '{{v}}', 'case a in a) ', ' esac', '<<-EOF\n', '\tEOF\n',
      '\\\n', '$', '((', '<<<', '"$(', ')"', 'EO\\\nF', '[[ ', ' ]] ', ' -eq ',
    ];
    const values = [HOSTILE, "x'$(touch PWNED)'", 'x"$(touch PWNED)"', '`touch PWNED`', 'EOF\ntouch PWNED', ')\ntouch PWNED #', 'a[$(touch PWNED)]'];
    let seed = 20260501;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * below);
    };
    let filled = 0;
    for (let t = 0; t < 120; t++) {
      const parts = Array.from({ length: 2 + random(9) }, () => fragments[random(fragments.length)] ?? '');
      parts.splice(random(parts.length + 1), 0, '{{v}}');
      const template = parts.join('');
      const r = renderCommand(template, 'bash', { v: values[random(values.length)] ?? HOSTILE });
      if (r.text !== template) filled++;
      expect(pwned(r.text), JSON.stringify(template)).toEqual([]);
    }
    // The templates are not all refused: most have a placeholder in a plain word.
    expect(filled).toBeGreaterThan(40);
  });
});

describe('PowerShell, KQL and T-SQL placeholders that quoting cannot protect', () => {
  const POWERSHELL_HOSTILE = "x'; Start-Process calc; '";
  const SQL_HOSTILE = "x'; DROP TABLE t; --";

  it.each<[CommandLanguage, string, string, PlaceholderContext[]]>([
    ['powershell', 'an apostrophe in a # comment', "# it's the account\nDisable-ADAccount -Identity '{{v}}'", ['quoted']],
    ['powershell', 'an apostrophe in a <# #> comment', "<# it's the account #> Disable-ADAccount -Identity '{{v}}'", ['quoted']],
    ['powershell', 'a placeholder in a comment', 'Disable-ADAccount -Identity x # was {{v}}', ['comment']],
    ['powershell', 'a verbatim here-string', "$note = @'\nAccount: {{v}}\n'@", ['heredoc']],
    ['powershell', 'an expandable here-string', '$note = @"\nAccount: $(Get-X {{v}})\n"@', ['heredoc']],
    ['powershell', 'typographic quotes', 'Disable-ADAccount -Identity \u2018{{v}}\u2019', ['quoted']],
    ['powershell', '$( inside a double-quoted string', 'Write-Host "$(Get-ADUser {{v}})"', ['quoted']],
    ['powershell', 'a backtick before the placeholder', 'Disable-ADAccount -Identity `{{v}}', ['escaped']],
    ['powershell', 'the stop-parsing token', 'cmd /c --% echo {{v}}', ['unfollowable']],
    ['powershell', '# inside a word', 'Get-X a#b {{v}}', ['unfollowable']],
    ['tsql', 'an apostrophe in a -- comment', "-- the login's name\nSELECT * FROM t WHERE name = '{{v}}'", ['quoted']],
    ['tsql', 'a placeholder in a nested block comment', "/* it's /* nested */ still {{v}} */ SELECT 1", ['comment']],
    ['tsql', 'a bracketed identifier', 'SELECT * FROM [{{v}}]', ['quoted']],
    ['kql', 'an apostrophe in a // comment', "// the agent's principal\nAzureActivity | where Caller == '{{v}}'", ['quoted']],
    ['kql', 'a verbatim string ending in a backslash', "T | where Path == @'C:\\' and Caller == '{{v}}'", ['quoted']],
    ['kql', 'a multi-line string', 'T | where Note == ```\n{{v}}\n```', ['quoted']],
    ['kql', 'a placeholder after @', 'T | where Caller == @{{v}}', ['expansion']],
  ])('%s, %s: not filled in, and lint says so', (language, _, template, expected) => {
    expect(contexts(template, language)).toEqual(expected);
    const value = language === 'powershell' ? POWERSHELL_HOSTILE : SQL_HOSTILE;
    const r = renderCommand(template, language, { v: value });
    expect(r.text).toBe(template);
    expect(r.unsafe).toEqual(['v']);
    expect(r.invalid).toHaveLength(1);
    expect(scanTemplate(template, language).problems).toHaveLength(expected.length);
  });

  it.each<[CommandLanguage, string, string]>([
    ['powershell', "<# it's the account #>\nDisable-ADAccount -Identity {{v}} # it's", "Disable-ADAccount -Identity 'x''; Start-Process calc; '''"],
    ['powershell', 'Get-ADUser $(Get-X {{v}}) | Select Name', "Get-ADUser $(Get-X 'x''; Start-Process calc; ''')"],
    ['tsql', "-- the login's name\n/* it's /* nested */ */ SELECT * FROM t WHERE name = {{v}}", "name = N'x''; DROP TABLE t; --'"],
    ['kql', "// the agent's principal\nT | where Path == @'C:\\' and Caller == {{v}}", "Caller == 'x\\'; DROP TABLE t; --'"],
  ])('%s: fills a plain word after comments and strings with quotes in them', (language, template, expected) => {
    const value = language === 'powershell' ? POWERSHELL_HOSTILE : SQL_HOSTILE;
    const r = renderCommand(template, language, { v: value });
    expect(r.unsafe).toEqual([]);
    expect(r.text).toContain(expected);
    expect(r.text).toBe(fillEverywhere(template, value, language));
  });

  it('fills in nothing for a language it does not know', () => {
    const r = renderCommand('echo {{v}}', 'zsh' as CommandLanguage, { v: 'x' });
    expect(r.text).toBe('echo {{v}}');
    expect(r.unsafe).toEqual(['v']);
  });
});
