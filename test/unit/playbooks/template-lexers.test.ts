/**
 * The rules each command-language lexer hands the shared quoted-region scanner: escapes and doubled quotes inside a
 * region, closers that count only at the start of a line, regions inside regions, nesting, CRLF line ends. Each case
 * pairs a placeholder the rule keeps out of a plain word with one it lets back in, so a rule that ends its region too
 * early or too late changes the answer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PlaceholderContext, renderCommand, scanTemplate } from '../../../electron/shared/playbook/template';
import type { CommandLanguage } from '../../../electron/shared/playbook/vocabulary';
import { tempDir } from '../../helpers/temp';

const contexts = (template: string, language: CommandLanguage) => scanTemplate(template, language).uses.map((u) => u.context);

describe('where each language ends a quoted region, comment or here-string', () => {
  it.each<[CommandLanguage, string, string, PlaceholderContext[]]>([
    ['bash', 'an escaped backquote inside backquotes', 'echo `echo \\`echo {{v}}\\`` {{v}}', ['expansion', 'word']],
    ['bash', 'a here-document end word quoted in part', "cat <<'E'OF\n{{v}}\nEOF\nprintf %s {{v}}", ['heredoc', 'word']],
    ['bash', 'a here-document end word in double quotes', 'cat <<"EOF"\n{{v}}\nEOF\nprintf %s {{v}}', ['heredoc', 'word']],
    ['bash', 'a single-quoted string over two lines', "printf '%s\n' {{v}} 'a\n{{v}}' {{v}}", ['word', 'quoted', 'word']],
    ['powershell', "'@ that does not start a line", "$n = @'\nx '@ {{v}}\n'@\nGet-X {{v}}", ['heredoc', 'word']],
    ['powershell', 'a backtick-newline before "@', '$n = @"\nx `\n"@ {{v}}\n"@\nGet-X {{v}}', ['heredoc', 'word']],
    ['powershell', 'a here-string with CRLF line ends', "$n = @'\r\nAccount: {{v}}\r\n'@\r\nGet-X {{v}}", ['heredoc', 'word']],
    ['powershell', 'a here-string with CR line ends', "$n = @'\rAccount: {{v}}\r'@\rGet-X {{v}}", ['heredoc', 'word']],
    ['powershell', 'a quote inside ${...} within "..."', 'Write-Host "${a`}"}" {{v}} "{{v}}"', ['word', 'quoted']],
    ['powershell', 'a ) inside quotes within "$(...)"', 'Write-Host "$(Get-X ")")" {{v}}', ['quoted']],
    ['powershell', 'escaped and doubled double quotes', 'Write-Host "a`"{{v}}" {{v}} "c""{{v}}" {{v}}', ['quoted', 'word', 'quoted', 'word']],
    ['powershell', 'doubled typographic single quotes', "Write-Host 'it\u2019\u2019s {{v}}' {{v}}", ['quoted', 'word']],
    ['powershell', 'a placeholder after $ or @ (a variable, a splat)', 'Get-X ${{v}} @{{v}} {{v}}', ['expansion', 'expansion', 'word']],
    ['powershell', 'an unclosed <# comment', 'Get-X {{v}} <# a #> {{v}} <# {{v}}', ['word', 'word', 'comment']],
    ['kql', 'backslash-escaped quotes', "T | where a == 'it\\'s {{v}}' and b == {{v}} and c == \"x\\\"{{v}}\" and d == {{v}}", ['quoted', 'word', 'quoted', 'word']],
    ['kql', 'a // comment ended by a lone CR', '// note {{v}}\rT | where x == {{v}}', ['comment', 'word']],
    ['kql', 'a string left open by a final backslash', "T | where a == 'open\\' and b == {{v}}", ['quoted']],
    ['tsql', 'a ]] inside a bracketed name', 'SELECT [a]]{{v}}] FROM t WHERE x = {{v}}', ['quoted', 'word']],
    ['tsql', 'a -- comment ended by a lone CR', 'SELECT 1 -- note {{v}}\rWHERE x = {{v}}', ['comment', 'word']],
    ['tsql', 'a block comment left open', 'SELECT 1 /* a */ WHERE x = {{v}} /* b {{v}}', ['word', 'comment']],
  ])('%s, %s', (language, _, template, expected) => {
    expect(contexts(template, language)).toEqual(expected);
    const value = "x'; y\"z";
    const r = renderCommand(template, language, { v: value });
    expect(r.unsafe).toEqual(expected.some((c) => c !== 'word') ? ['v'] : []);
    expect(r.text.split('{{v}}').length - 1).toBe(expected.filter((c) => c !== 'word').length);
  });

  it.each([
    ['echo `echo \\`echo {{v}}\\`` {{v}}', '{{v}} x$(touch PWNED)\n'],
    ["cat <<'E'OF\n{{v}}\nEOF\nprintf %s {{v}}", '{{v}}\nx$(touch PWNED)'],
    ["printf '%s\n' {{v}} 'a\n{{v}}' {{v}}", 'x$(touch PWNED)\na\n{{v}}\nx$(touch PWNED)\n'],
  ])('runs in a real sh with the filled-in value intact: %j', (template, output) => {
    const command = renderCommand(template, 'bash', { v: 'x$(touch PWNED)' }).text;
    const dir = tempDir('firebreak-lexers-');
    try {
      const run = spawnSync('sh', ['-c', command], { cwd: dir.path, encoding: 'utf8', timeout: 5000 });
      expect(run.stdout).toBe(output);
      expect(existsSync(join(dir.path, 'PWNED'))).toBe(false);
    } finally {
      dir.cleanup();
    }
  });
});
