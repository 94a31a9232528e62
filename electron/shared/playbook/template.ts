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
 */
import { PARAMETER_NAME_RE } from './ids';
import { checkParameterValue, splitList } from './parameter-values';
import { COMMAND_LANGUAGES, type CommandLanguage, type ParameterType } from './vocabulary';

/**
 * Where a placeholder sits in the syntax of its command. Only in a `word` (unquoted, uncommented, unescaped code) does
 * the quoted value stay one literal; everywhere else it is not filled in.
 */
export type PlaceholderContext = 'word' | 'quoted' | 'comment' | 'heredoc' | 'escaped' | 'expansion' | 'unfollowable';

export interface PlaceholderUse {
  name: string;
  /** Offset of `{{` in the template. */
  index: number;
  /** The placeholder as written, e.g. `{{ agent_role_name }}`. */
  raw: string;
  /** Where it sits, when the template was scanned for a language. */
  context?: PlaceholderContext;
  /** Why it is not filled in, when its context is not a plain word: "inside a comment: ...". */
  reason?: string;
}

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

// ---------------------------------------------------------------------------------------------------------------
// The syntax of each language, as far as it decides where a value may go.

/** Why a placeholder is not in a plain word, in words that follow "has {{x}} ". */
interface Region {
  context: Exclude<PlaceholderContext, 'word'>;
  detail: string;
}

const QUOTED: Region = {
  context: 'quoted',
  detail: 'inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
};
const COMMENT: Region = {
  context: 'comment',
  detail: 'inside a comment: placeholders are not filled in there, so move it out of the comment',
};

/**
 * What the scanners learn about a template: a region for every offset that is not plain code, placeholders judged on
 * their own (escaped, right after `$`), and the point after which the scanner could not follow the syntax.
 */
class Syntax {
  private readonly regions: Array<Region | undefined>;
  private readonly ends = new Map<number, number>();
  private readonly overrides = new Map<number, Region>();
  private stoppedAt: { from: number; region: Region } | undefined;

  constructor(
    private readonly text: string,
    uses: readonly PlaceholderUse[],
  ) {
    this.regions = new Array<Region | undefined>(text.length).fill(undefined);
    for (const u of uses) this.ends.set(u.index, u.index + u.raw.length);
  }

  get stopped(): boolean {
    return this.stoppedAt !== undefined;
  }

  fill(from: number, to: number, region: Region | undefined): void {
    for (let k = Math.max(0, from); k < Math.min(to, this.regions.length); k++) this.regions[k] = region;
  }

  isPlaceholderStart(i: number): boolean {
    return this.ends.has(i);
  }

  /**
   * Where the placeholder starting at i ends, when the scanner meets it in code: its value, a complete quoted literal,
   * replaces it whole. A placeholder already judged (escaped, after `$`) stays in the text, so it is read as text.
   */
  wordPlaceholderEnd(i: number): number | undefined {
    return this.overrides.has(i) ? undefined : this.ends.get(i);
  }

  anyPlaceholderIn(from: number, to: number): boolean {
    for (const start of this.ends.keys()) if (start >= from && start < to) return true;
    return false;
  }

  judge(i: number, region: Region): void {
    if (this.ends.has(i) && !this.overrides.has(i)) this.overrides.set(i, region);
  }

  /** Nothing from `from` on is filled in: the syntax there is beyond what the scanner follows with certainty. */
  stop(from: number, what: string, advice: string): void {
    if (this.stoppedAt) return;
    const line = this.text.slice(0, from).split('\n').length;
    const detail = `after ${what} (line ${line} of the command), which Firebreak cannot follow safely: ${advice}`;
    this.stoppedAt = { from, region: { context: 'unfollowable', detail } };
  }

  regionOf(i: number): Region | undefined {
    const judged = this.overrides.get(i);
    if (judged) return judged;
    if (this.stoppedAt && i >= this.stoppedAt.from) return this.stoppedAt.region;
    return this.regions[i];
  }
}

function scanSyntax(text: string, language: CommandLanguage, uses: readonly PlaceholderUse[]): Syntax {
  const syntax = new Syntax(text, uses);
  switch (language) {
    case 'bash':
      scanBash(text, syntax);
      break;
    case 'powershell':
      scanPowerShell(text, syntax);
      break;
    case 'kql':
      scanKql(text, syntax);
      break;
    case 'tsql':
      scanTsql(text, syntax);
      break;
    default:
      // Not a language of the format (an unchecked caller): nothing is safe to fill in.
      syntax.stop(0, `the start of a command in an unknown language "${String(language)}"`, `use one of ${COMMAND_LANGUAGES.join(', ')}`);
  }
  return syntax;
}

/** The offset just past the end of the line that i is on (the newline itself is not included). */
const lineEnd = (text: string, i: number, newlines = '\n'): number => {
  let k = i;
  while (k < text.length && !newlines.includes(text.charAt(k))) k++;
  return k;
};

// --- POSIX shell (bash and sh) ----------------------------------------------------------------------------------

const SH_ESCAPED: Region = {
  context: 'escaped',
  detail: 'right after a backslash, which would escape the opening quote of the value: remove the backslash',
};
const SH_DOLLAR: Region = {
  context: 'expansion',
  detail: 'right after $, which would make the value part of an expansion: remove the $ or separate them',
};
const SH_ARITHMETIC: Region = {
  context: 'expansion',
  detail: 'inside an arithmetic expression ($((...)) or ((...))), where quotes do not protect a value',
};
const SH_TEST: Region = {
  context: 'expansion',
  detail:
    'inside [[ ... ]], where bash reads the operands of -eq, -lt and the like as arithmetic and runs a $(...) in the ' +
    'value even when it is quoted: use [ ... ] (test) instead',
};
const SH_BACKQUOTE: Region = {
  context: 'expansion',
  detail: 'inside a backquoted command substitution, where quotes do not work as elsewhere: use $(...) instead',
};
const shHeredoc = (delimiter: string): Region => ({
  context: 'heredoc',
  detail:
    `inside a here-document (<<${delimiter} ... ${delimiter}), where no quoting protects a value: pass the value to the ` +
    `command as an argument instead (for psql, -v name=... and :'name' in the SQL)`,
});

type ShFrame =
  | { kind: 'code'; substitution: boolean; depth: number; test?: boolean }
  | { kind: 'arithmetic'; depth: number }
  | { kind: 'dquote' };

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  quoted: boolean;
}

/** Blanks, newlines and operator characters: they end a word, and a `#` after one starts a comment. */
const shBreaks = (c: string): boolean => c === '' || ' \t\n;&|()<>'.includes(c);

/**
 * POSIX shell syntax as bash and dash both read it: quotes, `$'...'`, comments, escapes, `$(...)` (a fresh context,
 * also inside double quotes), `${...}`, backquotes, arithmetic and here-documents. Where bash and dash differ (escapes
 * in `$'...'`, quotes inside `${...}`, a here-document end line split with a backslash), or a nesting the scanner does
 * not track (`case` inside `$(...)`), it stops.
 */
function scanBash(text: string, syntax: Syntax): void {
  const n = text.length;
  const stack: ShFrame[] = [{ kind: 'code', substitution: false, depth: 0 }];
  const pending: PendingHeredoc[] = [];
  let wordStart = true;
  let i = 0;
  while (i < n && !syntax.stopped) {
    const frame = stack[stack.length - 1] as ShFrame;
    const here: Region | undefined =
      frame.kind === 'dquote'
        ? QUOTED
        : stack.some((f) => f.kind === 'arithmetic')
          ? SH_ARITHMETIC
          : stack.some((f) => f.kind === 'code' && f.test)
            ? SH_TEST
            : undefined;
    if (!here) {
      const end = syntax.wordPlaceholderEnd(i);
      if (end !== undefined) {
        i = end;
        wordStart = false;
        continue;
      }
    }
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    syntax.fill(i, i + 1, here);

    // Expansions and escapes: the same in code, arithmetic and double quotes.
    if (c === '\\') {
      if (syntax.isPlaceholderStart(i + 1)) syntax.judge(i + 1, here ?? SH_ESCAPED);
      syntax.fill(i, i + 2, here);
      i += 2;
      // A backslash-newline joins the lines: the word goes on as if it were not there.
      if (next !== '\n') wordStart = false;
      continue;
    }
    if (c === '$') {
      if (syntax.isPlaceholderStart(i + 1)) {
        syntax.judge(i + 1, here ?? SH_DOLLAR);
        i++;
        wordStart = false;
        continue;
      }
      if (next === '(' && text.charAt(i + 2) === '(') {
        stack.push({ kind: 'arithmetic', depth: 0 });
        syntax.fill(i, i + 3, SH_ARITHMETIC);
        i += 3;
        continue;
      }
      if (next === '(') {
        stack.push({ kind: 'code', substitution: true, depth: 0 });
        i += 2;
        wordStart = true;
        continue;
      }
      if (next === '{') {
        // ${name}, ${name:-word}: nothing inside that quotes or expands. bash and dash disagree on quotes in ${...}.
        const simple = /^\$\{[^'"`$\\{}\n]*\}/.exec(text.slice(i));
        if (!simple) {
          syntax.stop(i, '${...} with quotes, braces or an expansion inside', 'simplify the ${...}, or move the placeholder before it');
          return;
        }
        syntax.fill(i, i + simple[0].length, here);
        i += simple[0].length;
        wordStart = false;
        continue;
      }
      if (next === "'" && frame.kind !== 'dquote') {
        // $'...': bash reads backslash escapes in it, dash does not, so with a backslash they end it in different places.
        let k = i + 2;
        while (k < n && text.charAt(k) !== "'") {
          if (text.charAt(k) === '\\') {
            syntax.stop(i, "a $'...' string with a backslash in it, which bash and sh end in different places", "use '...' instead");
            return;
          }
          k++;
        }
        syntax.fill(i, k + 1, QUOTED);
        i = k + 1;
        wordStart = false;
        continue;
      }
      i++;
      wordStart = false;
      continue;
    }
    if (c === '`') {
      let k = i + 1;
      while (k < n && text.charAt(k) !== '`') k += text.charAt(k) === '\\' ? 2 : 1;
      syntax.fill(i, k + 1, SH_BACKQUOTE);
      i = k + 1;
      wordStart = false;
      continue;
    }
    if (frame.kind === 'dquote') {
      if (c === '"') stack.pop();
      i++;
      wordStart = false;
      continue;
    }

    // Code and arithmetic.
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? n : close + 1;
      syntax.fill(i, end, QUOTED);
      i = end;
      wordStart = false;
      continue;
    }
    if (c === '"') {
      stack.push({ kind: 'dquote' });
      syntax.fill(i, i + 1, QUOTED);
      i++;
      continue;
    }
    if (c === '\n') {
      i++;
      wordStart = true;
      if (pending.length) {
        i = readHeredocBodies(text, i, pending.splice(0), syntax);
      }
      continue;
    }
    if (frame.kind === 'arithmetic') {
      if (c === '(') frame.depth++;
      else if (c === ')') {
        if (frame.depth > 0) frame.depth--;
        else if (next === ')') {
          stack.pop();
          syntax.fill(i, i + 2, SH_ARITHMETIC);
          i += 2;
          wordStart = false;
          continue;
        } else {
          syntax.stop(i, 'a $((...)) or ((...)) that does not close with ))', 'write the arithmetic on its own, before the placeholder');
          return;
        }
      }
      i++;
      continue;
    }

    // Code.
    if (c === '#' && wordStart) {
      const end = lineEnd(text, i);
      syntax.fill(i, end, COMMENT);
      i = end;
      continue;
    }
    if (c === '(' && next === '(' && wordStart) {
      stack.push({ kind: 'arithmetic', depth: 0 });
      syntax.fill(i, i + 2, SH_ARITHMETIC);
      i += 2;
      continue;
    }
    if (c === '<' && next === '<') {
      if (text.charAt(i + 2) === '<') {
        // A here-string (<<<word) is an ordinary word.
        i += 3;
        wordStart = true;
        continue;
      }
      const end = readHeredocOperator(text, i, pending, syntax);
      if (end === undefined) return;
      i = end;
      wordStart = false;
      continue;
    }
    if (wordStart && (c === '[' || c === ']') && next === c && shBreaks(text.charAt(i + 2))) {
      frame.test = c === '[';
      i += 2;
      wordStart = true;
      continue;
    }
    if (frame.substitution && wordStart && /^case(?=[\s;&|()<>]|$)/.test(text.slice(i, i + 5))) {
      // Its patterns end with an unbalanced ")", which would look like the end of the $(...).
      syntax.stop(i, 'case inside $(...)', 'move the case statement out of the $(...)');
      return;
    }
    if (frame.substitution) {
      if (c === '(') frame.depth++;
      else if (c === ')') {
        if (frame.depth === 0) {
          stack.pop();
          i++;
          wordStart = false;
          continue;
        }
        frame.depth--;
      }
    }
    wordStart = shBreaks(c);
    i++;
  }
}

/** Reads `<<WORD` or `<<-WORD` at i and queues its body; returns the offset after the word, or undefined on stop. */
function readHeredocOperator(text: string, i: number, pending: PendingHeredoc[], syntax: Syntax): number | undefined {
  let k = i + 2;
  const stripTabs = text.charAt(k) === '-';
  if (stripTabs) k++;
  while (text.charAt(k) === ' ' || text.charAt(k) === '\t') k++;
  const wordFrom = k;
  let delimiter = '';
  let quoted = false;
  while (!shBreaks(text.charAt(k))) {
    const d = text.charAt(k);
    if (d === "'" || d === '"') {
      const close = text.indexOf(d, k + 1);
      const end = close < 0 ? text.length : close;
      const part = text.slice(k + 1, end);
      if (d === '"' && /[\\$`]/.test(part)) break;
      delimiter += part;
      quoted = true;
      k = end + 1;
    } else if (d === '\\') {
      delimiter += text.charAt(k + 1);
      quoted = true;
      k += 2;
    } else {
      delimiter += d;
      k++;
    }
  }
  const word = text.slice(wordFrom, k);
  if (syntax.anyPlaceholderIn(wordFrom, k)) {
    syntax.stop(i, 'a here-document whose end word is a placeholder', 'write the end word out, e.g. <<EOF');
    return undefined;
  }
  if (word === '' || /[$`]/.test(word) || (!shBreaks(text.charAt(k)) && k < text.length)) {
    syntax.stop(i, `a here-document operator (<<${word}) without a plain end word`, 'write the end word out, e.g. <<EOF');
    return undefined;
  }
  pending.push({ delimiter, stripTabs, quoted });
  return k;
}

/** Skips the bodies of the here-documents started on the line that just ended; returns the offset after the last. */
function readHeredocBodies(text: string, start: number, heredocs: PendingHeredoc[], syntax: Syntax): number {
  const n = text.length;
  let p = start;
  for (const heredoc of heredocs) {
    const region = shHeredoc(heredoc.delimiter);
    const bodyFrom = p;
    for (;;) {
      if (p >= n) {
        syntax.fill(bodyFrom, n, region);
        return n;
      }
      // A line of an unquoted here-document ending in an unescaped backslash goes on on the next line.
      let end = lineEnd(text, p);
      let line = text.slice(p, end);
      let joined = false;
      while (!heredoc.quoted && endsWithContinuation(line) && end < n) {
        const nextEnd = lineEnd(text, end + 1);
        line = line.slice(0, -1) + text.slice(end + 1, nextEnd);
        end = nextEnd;
        joined = true;
      }
      const candidate = heredoc.stripTabs ? line.replace(/^\t+/, '') : line;
      if (candidate === heredoc.delimiter) {
        if (joined) {
          // bash takes the joined line as the end of the here-document, dash does not.
          syntax.stop(p, 'a here-document end line split with a backslash', 'write the end line on one line');
          return n;
        }
        syntax.fill(bodyFrom, p, region);
        p = Math.min(end + 1, n);
        break;
      }
      p = end + 1;
    }
  }
  return p;
}

function endsWithContinuation(line: string): boolean {
  let k = 0;
  while (k < line.length) {
    if (line.charAt(k) === '\\') {
      if (k === line.length - 1) return true;
      k += 2;
    } else k++;
  }
  return false;
}

// --- PowerShell ------------------------------------------------------------------------------------------------

const PS_ESCAPED: Region = {
  context: 'escaped',
  detail: 'right after a backtick, which would escape the opening quote of the value: remove the backtick',
};
const PS_SIGIL: Region = {
  context: 'expansion',
  detail: 'right after $ or @, which would make the value part of a variable or splat: remove the sigil or separate them',
};
const PS_BRACED: Region = { context: 'expansion', detail: 'inside a ${...} variable name, where quotes do not protect a value' };
const PS_HERE_STRING: Region = {
  context: 'heredoc',
  detail: "inside a here-string (@'...'@ or @\"...\"@), where no quoting protects a value: pass the value as an argument instead",
};

const isPsSingleQuote = (c: string): boolean => c !== '' && "'\u2018\u2019\u201a\u201b".includes(c);
const isPsDoubleQuote = (c: string): boolean => c !== '' && '"\u201c\u201d\u201e'.includes(c);
const isPsDash = (c: string): boolean => c !== '' && '-\u2013\u2014\u2015'.includes(c);
const isPsNewline = (c: string): boolean => c === '\n' || c === '\r';
const isPsWhitespace = (c: string): boolean =>
  c !== '' && (' \t\v\f\u00a0\u0085'.includes(c) || (c.charCodeAt(0) > 256 && /[\p{Zs}\p{Zl}\p{Zp}]/u.test(c)));
/** Characters that end any token and start a new one (the tokenizer's ForceStartNewToken), and newlines. */
const psStartsToken = (c: string): boolean => isPsWhitespace(c) || isPsNewline(c) || '&(),;{|}'.includes(c);

/**
 * PowerShell as its tokenizer reads it: '...' with doubled quotes (also the typographic ones), "..." with backtick
 * escapes, $(...) and ${...}, here-strings, # and <# #> comments. `#`, `<#`, `@'` and `$(` inside a word mean
 * different things in command and expression mode, and --% hands the rest of the line to a program unparsed: the
 * scanner stops there.
 */
function scanPowerShell(text: string, syntax: Syntax): void {
  const n = text.length;
  let tokenStart = true;
  let i = 0;
  while (i < n && !syntax.stopped) {
    const end = syntax.wordPlaceholderEnd(i);
    if (end !== undefined) {
      i = end;
      tokenStart = false;
      continue;
    }
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === '`') {
      if (syntax.isPlaceholderStart(i + 1)) syntax.judge(i + 1, PS_ESCAPED);
      i += next === '\r' && text.charAt(i + 2) === '\n' ? 3 : 2;
      // A backtick-newline continues the line; the token goes on as if it were not there.
      if (!isPsNewline(next)) tokenStart = false;
      continue;
    }
    if (isPsSingleQuote(c)) {
      const close = psVerbatimEnd(text, i + 1);
      syntax.fill(i, close, QUOTED);
      i = close;
      tokenStart = false;
      continue;
    }
    if (isPsDoubleQuote(c)) {
      const close = psExpandableEnd(text, i + 1);
      syntax.fill(i, close, QUOTED);
      i = close;
      tokenStart = false;
      continue;
    }
    if (c === '#' || (c === '<' && next === '#')) {
      if (!tokenStart) {
        syntax.stop(i, `"${c === '#' ? '#' : '<#'}" inside a word`, 'PowerShell reads it as a comment or as text depending on the context: put a space before it');
        return;
      }
      if (c === '#') {
        const close = lineEnd(text, i, '\r\n');
        syntax.fill(i, close, COMMENT);
        i = close;
      } else {
        const close = text.indexOf('#>', i + 2);
        const stop = close < 0 ? n : close + 2;
        syntax.fill(i, stop, COMMENT);
        i = stop;
        tokenStart = true;
      }
      continue;
    }
    if (c === '@' && (isPsSingleQuote(next) || isPsDoubleQuote(next))) {
      if (!tokenStart) {
        syntax.stop(i, `"@${next}" inside a word`, 'PowerShell reads it as a here-string or as text depending on the context: put a space before it');
        return;
      }
      let k = i + 2;
      while (isPsWhitespace(text.charAt(k))) k++;
      if (!isPsNewline(text.charAt(k))) {
        syntax.stop(i, `a here-string opened with @${next} but not followed by a line break`, 'start the here-string text on the next line');
        return;
      }
      k += text.charAt(k) === '\r' && text.charAt(k + 1) === '\n' ? 2 : 1;
      const close = isPsSingleQuote(next) ? psHereStringEnd(text, k, false) : psHereStringEnd(text, k, true);
      syntax.fill(i, close, PS_HERE_STRING);
      i = close;
      tokenStart = false;
      continue;
    }
    if ((c === '$' || c === '@') && syntax.isPlaceholderStart(i + 1)) {
      syntax.judge(i + 1, PS_SIGIL);
      i++;
      tokenStart = false;
      continue;
    }
    if (c === '$' && next === '(') {
      if (!tokenStart) {
        // Inside a word, PowerShell ends $( at the first unbalanced parenthesis, even one inside quotes.
        syntax.stop(i, '"$(" inside a word', 'put the $(...) in a word of its own, or assign it to a variable first');
        return;
      }
      i += 2;
      tokenStart = true;
      continue;
    }
    if (c === '$' && next === '{') {
      const close = psBracedVariableEnd(text, i + 2);
      syntax.fill(i, close, PS_BRACED);
      i = close;
      tokenStart = false;
      continue;
    }
    if (isPsDash(c) && isPsDash(next) && text.charAt(i + 2) === '%') {
      syntax.stop(i, 'the stop-parsing token --%', 'after it PowerShell passes the text to the program without quoting; leave it out');
      return;
    }
    tokenStart = psStartsToken(c);
    i++;
  }
}

/** The end of '...' whose text starts at k: any single quote ends it, two in a row stand for one. */
function psVerbatimEnd(text: string, k: number): number {
  while (k < text.length) {
    if (isPsSingleQuote(text.charAt(k))) {
      if (!isPsSingleQuote(text.charAt(k + 1))) return k + 1;
      k += 2;
    } else k++;
  }
  return text.length;
}

/** The end of "..." whose text starts at k. */
function psExpandableEnd(text: string, k: number): number {
  while (k < text.length) {
    const c = text.charAt(k);
    if (isPsDoubleQuote(c)) {
      if (!isPsDoubleQuote(text.charAt(k + 1))) return k + 1;
      k += 2;
    } else if (c === '`') k += 2;
    else if (c === '$' && text.charAt(k + 1) === '(') k = psSubExpressionEnd(text, k + 2, false);
    else if (c === '$' && text.charAt(k + 1) === '{') k = psBracedVariableEnd(text, k + 2);
    else k++;
  }
  return text.length;
}

/** The end of $( inside a string, which PowerShell finds by counting parentheses only, quotes or not. */
function psSubExpressionEnd(text: string, k: number, hereString: boolean): number {
  let depth = 1;
  while (k < text.length) {
    const c = text.charAt(k);
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return k + 1;
    } else if ((c === '`' || isPsDoubleQuote(c)) && !hereString && isPsDoubleQuote(text.charAt(k + 1))) k++;
    k++;
  }
  return text.length;
}

/** The end of ${...}: the first } not escaped with a backtick. */
function psBracedVariableEnd(text: string, k: number): number {
  while (k < text.length) {
    const c = text.charAt(k);
    if (c === '}') return k + 1;
    k += c === '`' ? 2 : 1;
  }
  return text.length;
}

/** The end of a here-string whose body starts at k: a line starting with the closing quote and @. */
function psHereStringEnd(text: string, k: number, expandable: boolean): number {
  const closes = expandable ? isPsDoubleQuote : isPsSingleQuote;
  let lineStart = true;
  while (k < text.length) {
    const c = text.charAt(k);
    if (lineStart && closes(c) && text.charAt(k + 1) === '@') return k + 2;
    lineStart = false;
    if (isPsNewline(c)) {
      k += c === '\r' && text.charAt(k + 1) === '\n' ? 2 : 1;
      lineStart = true;
    } else if (expandable && c === '`') k += 2;
    else if (expandable && c === '$' && text.charAt(k + 1) === '(') k = psSubExpressionEnd(text, k + 2, true);
    else if (expandable && c === '$' && text.charAt(k + 1) === '{') k = psBracedVariableEnd(text, k + 2);
    else k++;
  }
  return text.length;
}

// --- KQL ------------------------------------------------------------------------------------------------------

const KQL_VERBATIM: Region = {
  context: 'expansion',
  detail: "right after @, which would make the value a verbatim string where backslashes do not escape: remove the @",
};

/** KQL: '...' and "..." with backslash escapes, @'...' and @"..." with doubled quotes, ```...```, // comments. */
function scanKql(text: string, syntax: Syntax): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const end = syntax.wordPlaceholderEnd(i);
    if (end !== undefined) {
      i = end;
      continue;
    }
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    let close: number | undefined;
    let region = QUOTED;
    if (c === '/' && next === '/') {
      close = lineEnd(text, i, '\r\n');
      region = COMMENT;
    } else if (text.startsWith('```', i)) {
      const found = text.indexOf('```', i + 3);
      close = found < 0 ? n : found + 3;
    } else if (c === '@' && (next === "'" || next === '"')) {
      close = doubledQuoteEnd(text, i + 2, next);
    } else if (c === '@' && syntax.isPlaceholderStart(i + 1)) {
      syntax.judge(i + 1, KQL_VERBATIM);
    } else if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < n && text.charAt(k) !== c) k += text.charAt(k) === '\\' ? 2 : 1;
      close = Math.min(k + 1, n);
    }
    if (close === undefined) i++;
    else {
      syntax.fill(i, close, region);
      i = close;
    }
  }
}

/** The end of a literal whose text starts at k, closed by `quote`, where two quotes in a row stand for one. */
function doubledQuoteEnd(text: string, k: number, quote: string): number {
  while (k < text.length) {
    if (text.charAt(k) === quote) {
      if (text.charAt(k + 1) !== quote) return k + 1;
      k += 2;
    } else k++;
  }
  return text.length;
}

// --- T-SQL ----------------------------------------------------------------------------------------------------

const TSQL_BRACKETS: Region = {
  context: 'quoted',
  detail: 'inside [...]: values are rendered as string literals, which cannot name an object, so remove the brackets',
};

/** T-SQL: '...' and "..." with doubled quotes, [...] with ]], -- comments and block comments, which nest. */
function scanTsql(text: string, syntax: Syntax): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const end = syntax.wordPlaceholderEnd(i);
    if (end !== undefined) {
      i = end;
      continue;
    }
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    let close: number | undefined;
    let region = QUOTED;
    if (c === '-' && next === '-') {
      close = lineEnd(text, i, '\r\n');
      region = COMMENT;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      let k = i + 2;
      while (k < n && depth > 0) {
        if (text.startsWith('/*', k)) {
          depth++;
          k += 2;
        } else if (text.startsWith('*/', k)) {
          depth--;
          k += 2;
        } else k++;
      }
      close = k;
      region = COMMENT;
    } else if (c === "'" || c === '"') {
      close = doubledQuoteEnd(text, i + 1, c);
    } else if (c === '[') {
      close = doubledQuoteEnd(text, i + 1, ']');
      region = TSQL_BRACKETS;
    }
    if (close === undefined) i++;
    else {
      syntax.fill(i, close, region);
      i = close;
    }
  }
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
