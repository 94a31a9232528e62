/**
 * Command templates: `{{name}}` placeholders for declared parameters. Rendering quotes every value for the language
 * the command is written in, so a responder can paste the result without an incident parameter breaking out of it.
 *
 * Quoting only protects a value where the language reads it as a plain word: inside quotes, a comment, a here-document
 * or here-string, after an escape character or inside an expansion, the same quotes are either literal text or end
 * the surrounding construct. So the template is scanned with each language's rules (strings, comments, here-documents,
 * expansions) and a placeholder is filled in only where it stands in a plain word; anywhere else it is left as written
 * and reported, by lint and by renderCommand alike. Where the scanner meets syntax it cannot follow with certainty,
 * it fills in nothing after that point.
 *
 * Each language's lexer is a file of its own (template-bash.ts, template-powershell.ts, template-kql.ts,
 * template-tsql.ts); all of them find where a string, comment or here-string ends with the one scanner of
 * template-scanner.ts, from a rule per region. A language with no nested code is just a table (see template-kql.ts).
 */
import { PARAMETER_NAME_RE } from './ids';
import { checkParameterValue, splitList } from './parameter-values';
import { scanBash } from './template-bash';
import { scanKql } from './template-kql';
import { scanPowerShell } from './template-powershell';
import { type PlaceholderUse, Syntax } from './template-scanner';
import { scanTsql } from './template-tsql';
import { COMMAND_LANGUAGES, type CommandLanguage, type ParameterType } from './vocabulary';

export type { PlaceholderContext, PlaceholderUse } from './template-scanner';

export interface TemplateProblem {
  index: number;
  raw: string;
  message: string;
}

/** Finds the placeholders of a template and what is wrong with them (malformed, unterminated, not in a plain word). */
export function scanTemplate(template: string, language?: CommandLanguage): { uses: PlaceholderUse[]; problems: TemplateProblem[] } {
  const uses: PlaceholderUse[] = [];
  const problems: TemplateProblem[] = [];
  let from = 0;
  for (;;) {
    const index = template.indexOf('{{', from);
    if (index < 0) break;
    const end = template.indexOf('}}', index + 2);
    const nextOpen = template.indexOf('{{', index + 2);
    if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
      const raw = template.slice(index, index + 2 + Math.min(20, template.length - index - 2));
      problems.push({ index, raw, message: 'has "{{" without a closing "}}"' });
      from = index + 2;
      continue;
    }
    const raw = template.slice(index, end + 2);
    const name = template.slice(index + 2, end).trim();
    from = end + 2;
    if (!PARAMETER_NAME_RE.test(name)) {
      problems.push({
        index,
        raw,
        message: `has a malformed placeholder ${raw}: parameter names are lower-case letters, digits and underscores`,
      });
      continue;
    }
    uses.push({ name, index, raw });
  }
  if (language !== undefined) {
    const syntax = scanSyntax(template, language, uses);
    for (const use of uses) {
      const region = syntax.regionOf(use.index);
      use.context = region?.context ?? 'word';
      if (region) {
        use.reason = region.detail;
        problems.push({ index: use.index, raw: use.raw, message: `has ${use.raw} ${region.detail}` });
      }
    }
    problems.sort((a, b) => a.index - b.index);
  }
  return { uses, problems };
}

/** Each language's lexer; they share the Syntax they fill in and the one quoted-region scanner. */
const LEXERS: Record<CommandLanguage, (text: string, syntax: Syntax) => void> = {
  bash: scanBash,
  powershell: scanPowerShell,
  kql: scanKql,
  tsql: scanTsql,
};

function scanSyntax(text: string, language: CommandLanguage, uses: readonly PlaceholderUse[]): Syntax {
  const syntax = new Syntax(text, uses);
  const lex = Object.hasOwn(LEXERS, language) ? LEXERS[language] : undefined;
  if (lex) lex(text, syntax);
  // Not a language of the format (an unchecked caller): nothing is safe to fill in.
  else syntax.stop(0, `the start of a command in an unknown language "${String(language)}"`, `use one of ${COMMAND_LANGUAGES.join(', ')}`);
  return syntax;
}

// ---------------------------------------------------------------------------------------------------------------

/** One value as a literal of the language: POSIX single quotes, PowerShell single quotes, KQL or T-SQL strings. */
export function quoteValue(value: string, language: CommandLanguage): string {
  switch (language) {
    case 'bash':
      // Like Python's shlex.quote: plain words stay readable, anything else goes in single quotes.
      if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
      return `'${value.replace(/'/g, `'"'"'`)}'`;
    case 'powershell':
      // PowerShell also treats the typographic single quotes as quote characters; each is escaped by doubling.
      return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
    case 'kql':
      return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`;
    case 'tsql':
      return `N'${value.replace(/'/g, "''")}'`;
  }
}

const LIST_SEPARATOR: Record<CommandLanguage, string> = { bash: ' ', powershell: ',', kql: ', ', tsql: ', ' };

export interface RenderParameter {
  name: string;
  type: ParameterType;
  label?: string;
}

export interface RenderedCommand {
  text: string;
  /** Declared parameters the incident has no value for; their placeholders are left in the text. */
  missing: string[];
  /**
   * What the responder has to know, one sentence each: values that do not fit their type (e.g. `agent_role_arn is not
   * an ARN`), and placeholders left unfilled because no quoting is safe where they stand (see `unsafe`).
   */
  invalid: string[];
  /** Parameters with a placeholder left as written because it is not in a plain word (quotes, comment, heredoc...). */
  unsafe: string[];
}

/**
 * Fills a command template with an incident's parameter values, each quoted for the command's language. It scans
 * the template itself, so a template that never went through lint (an imported playbook) cannot place a value where
 * quoting does not hold: such a placeholder stays as written and is reported.
 */
export function renderCommand(
  template: string,
  language: CommandLanguage,
  values: Readonly<Record<string, string | undefined>>,
  parameters: readonly RenderParameter[] = [],
): RenderedCommand {
  const types = new Map(parameters.map((p) => [p.name, p.type]));
  const missing = new Set<string>();
  const invalid = new Set<string>();
  const unsafe = new Set<string>();
  const { uses } = scanTemplate(template, language);
  const multiline = template.includes('\n');
  let text = '';
  let from = 0;
  for (const use of uses) {
    text += template.slice(from, use.index);
    from = use.index + use.raw.length;
    if (use.context !== 'word') {
      const where = multiline ? ` on line ${template.slice(0, use.index).split('\n').length}` : '';
      unsafe.add(use.name);
      invalid.add(`${use.raw}${where} is not filled in, because it is ${use.reason ?? 'not in a plain word'}`);
      text += use.raw;
      continue;
    }
    const value = values[use.name];
    if (value === undefined || value.trim() === '') {
      missing.add(use.name);
      text += use.raw;
      continue;
    }
    const type = types.get(use.name) ?? 'string';
    const problem = checkParameterValue(type, value);
    if (problem) invalid.add(`${use.name} ${problem}`);
    text +=
      type === 'list'
        ? splitList(value)
            .map((v) => quoteValue(v, language))
            .join(LIST_SEPARATOR[language])
        : quoteValue(value, language);
  }
  text += template.slice(from);
  return { text, missing: [...missing], invalid: [...invalid], unsafe: [...unsafe] };
}
