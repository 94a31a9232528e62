/**
 * Command templates: `{{name}}` placeholders for declared parameters. Rendering quotes every value for the language
 * the command is written in, so a responder can paste the result without an incident parameter breaking out of it.
 * Placeholders therefore stand outside quotes in a template; lint says so when an author wraps one.
 */
import { PARAMETER_NAME_RE } from './ids';
import { checkParameterValue, splitList } from './parameter-values';
import type { CommandLanguage, ParameterType } from './vocabulary';

export interface PlaceholderUse {
  name: string;
  /** Offset of `{{` in the template. */
  index: number;
  /** The placeholder as written, e.g. `{{ agent_role_name }}`. */
  raw: string;
}

export interface TemplateProblem {
  index: number;
  raw: string;
  message: string;
}

/** Finds the placeholders of a template and what is wrong with them (malformed, unterminated, inside quotes). */
export function scanTemplate(template: string, language?: CommandLanguage): { uses: PlaceholderUse[]; problems: TemplateProblem[] } {
  const uses: PlaceholderUse[] = [];
  const problems: TemplateProblem[] = [];
  const quoted = language ? quoteMap(template, language) : undefined;
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
    if (quoted?.[index]) {
      problems.push({
        index,
        raw,
        message: `has ${raw} inside quotes: values are quoted when the command is rendered, so remove the quotes around it`,
      });
    }
    uses.push({ name, index, raw });
  }
  return { uses, problems };
}

/** Which offsets of a command sit inside a string literal of its language. */
function quoteMap(text: string, language: CommandLanguage): boolean[] {
  if (language === 'bash') return bashQuoteMap(text);
  const inside: boolean[] = new Array<boolean>(text.length).fill(false);
  // PowerShell escapes with a backtick (outside and in double quotes), KQL with a backslash inside strings;
  // PowerShell and T-SQL also escape a quote by doubling it.
  const escape = language === 'powershell' ? '`' : language === 'kql' ? '\\' : '';
  const doubles = language === 'tsql' || language === 'powershell';
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!quote) {
      if (language === 'powershell' && c === escape) i++;
      else if (c === "'" || c === '"') {
        quote = c;
        inside[i] = true;
      }
      continue;
    }
    inside[i] = true;
    const escapes = escape !== '' && (language === 'kql' || quote === '"');
    if (escapes && c === escape) {
      inside[i + 1] = true;
      i++;
    } else if (c === quote) {
      if (doubles && text[i + 1] === quote) {
        inside[i + 1] = true;
        i++;
      } else quote = '';
    }
  }
  return inside;
}

/** POSIX shell quoting, including command substitution `$(...)`, which starts a fresh quoting context inside "...". */
function bashQuoteMap(text: string): boolean[] {
  const inside: boolean[] = new Array<boolean>(text.length).fill(false);
  // Each frame: the quote in force ('' when unquoted) and, for a substitution, its open parentheses.
  const stack: Array<{ quote: '' | "'" | '"'; depth: number }> = [{ quote: '', depth: 0 }];
  for (let i = 0; i < text.length; i++) {
    const frame = stack[stack.length - 1] ?? { quote: '', depth: 0 };
    const c = text[i];
    if (frame.quote === "'") {
      inside[i] = true;
      if (c === "'") frame.quote = '';
      continue;
    }
    if (c === '$' && text[i + 1] === '(') {
      stack.push({ quote: '', depth: 0 });
      i++;
      continue;
    }
    if (frame.quote === '"') {
      inside[i] = true;
      if (c === '\\') {
        inside[i + 1] = true;
        i++;
      } else if (c === '"') frame.quote = '';
      continue;
    }
    if (c === '\\') i++;
    else if (c === "'" || c === '"') {
      frame.quote = c;
      inside[i] = true;
    } else if (stack.length > 1 && c === '(') frame.depth++;
    else if (stack.length > 1 && c === ')') {
      if (frame.depth === 0) stack.pop();
      else frame.depth--;
    }
  }
  return inside;
}

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
  /** Values that do not fit their parameter type, e.g. `agent_role_arn is not an ARN`. */
  invalid: string[];
}

/** Fills a command template with an incident's parameter values, each quoted for the command's language. */
export function renderCommand(
  template: string,
  language: CommandLanguage,
  values: Readonly<Record<string, string | undefined>>,
  parameters: readonly RenderParameter[] = [],
): RenderedCommand {
  const types = new Map(parameters.map((p) => [p.name, p.type]));
  const missing = new Set<string>();
  const invalid = new Set<string>();
  const { uses } = scanTemplate(template);
  let text = '';
  let from = 0;
  for (const use of uses) {
    text += template.slice(from, use.index);
    from = use.index + use.raw.length;
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
  return { text, missing: [...missing], invalid: [...invalid] };
}
