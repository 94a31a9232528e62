/**
 * POSIX shell (bash and sh) as far as it decides where a value may go: quotes, `$'...'`, comments, escapes, `$(...)`,
 * `${...}`, backquotes, arithmetic, `[[ ... ]]` and here-documents.
 */
import {
  COMMENT,
  LINE,
  QUOTED,
  type Region,
  type RegionRule,
  type RegionTable,
  type ShellLexer,
  type ShellMove,
  type Syntax,
  escapeWith,
  escapedBy,
  regionEnd,
  scanShell,
} from './template-scanner';

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

/** The regions whose end is all the scanner needs from them: their text is never code. */
const SH_SINGLE_QUOTED: RegionRule = { close: "'" };
const SH_BACKQUOTES = { open: '`', until: { close: '`', literal: escapeWith('\\') }, region: SH_BACKQUOTE } as const;
/** Backquotes open in code, arithmetic and double quotes; '...' is a string only outside "...". */
const SH_IN_DOUBLE_QUOTES: RegionTable = [SH_BACKQUOTES];
const SH_IN_CODE: RegionTable = [SH_BACKQUOTES, { open: "'", until: SH_SINGLE_QUOTED, region: QUOTED }];

type ShFrame =
  | { kind: 'code'; substitution: boolean; depth: number; test?: boolean }
  | { kind: 'arithmetic'; depth: number }
  | { kind: 'dquote' };
type CodeFrame = Extract<ShFrame, { kind: 'code' }>;

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
export function scanBash(text: string, syntax: Syntax): void {
  scanShell(text, syntax, new BashLexer(text, syntax));
}

class BashLexer implements ShellLexer {
  readonly escape = '\\';
  readonly escaped = escapedBy('backslash');
  readonly lineBreak = '\n';
  /** Code, command substitutions, double quotes and arithmetic, innermost last. */
  private readonly stack: ShFrame[] = [{ kind: 'code', substitution: false, depth: 0 }];
  /** Here-documents whose operator is on the current line: their bodies start on the next. */
  private readonly pending: PendingHeredoc[] = [];

  constructor(
    private readonly text: string,
    private readonly syntax: Syntax,
  ) {}

  private get frame(): ShFrame {
    return this.stack[this.stack.length - 1] as ShFrame;
  }

  here(): Region | undefined {
    if (this.frame.kind === 'dquote') return QUOTED;
    if (this.stack.some((f) => f.kind === 'arithmetic')) return SH_ARITHMETIC;
    return this.stack.some((f) => f.kind === 'code' && f.test) ? SH_TEST : undefined;
  }

  regions(): RegionTable {
    return this.frame.kind === 'dquote' ? SH_IN_DOUBLE_QUOTES : SH_IN_CODE;
  }

  read(i: number, wordStart: boolean, here: Region | undefined): ShellMove | undefined {
    const { text, frame } = this;
    const c = text.charAt(i);
    // Expansions: the same in code, arithmetic and double quotes.
    if (c === '$') return this.dollar(i, wordStart, here);
    if (frame.kind === 'dquote') {
      if (c === '"') this.stack.pop();
      return [i + 1, false];
    }
    // Code and arithmetic.
    if (c === '"') {
      this.stack.push({ kind: 'dquote' });
      this.syntax.fill(i, i + 1, QUOTED);
      return [i + 1, wordStart];
    }
    if (c === '\n') {
      const heredocs = this.pending.splice(0);
      return [heredocs.length ? readHeredocBodies(text, i + 1, heredocs, this.syntax) : i + 1, true];
    }
    return frame.kind === 'arithmetic' ? this.arithmetic(i, wordStart, frame) : this.code(i, wordStart, frame);
  }

  private dollar(i: number, wordStart: boolean, here: Region | undefined): ShellMove | undefined {
    const { text, syntax } = this;
    const next = text.charAt(i + 1);
    if (syntax.isPlaceholderStart(i + 1)) {
      syntax.judge(i + 1, here ?? SH_DOLLAR);
      return [i + 1, false];
    }
    if (next === '(' && text.charAt(i + 2) === '(') {
      this.stack.push({ kind: 'arithmetic', depth: 0 });
      syntax.fill(i, i + 3, SH_ARITHMETIC);
      return [i + 3, wordStart];
    }
    if (next === '(') {
      this.stack.push({ kind: 'code', substitution: true, depth: 0 });
      return [i + 2, true];
    }
    if (next === '{') {
      // ${name}, ${name:-word}: nothing inside that quotes or expands. bash and dash disagree on quotes in ${...}.
      const simple = /^\$\{[^'"`$\\{}\n]*\}/.exec(text.slice(i));
      if (!simple) {
        syntax.stop(i, '${...} with quotes, braces or an expansion inside', 'simplify the ${...}, or move the placeholder before it');
        return undefined;
      }
      syntax.fill(i, i + simple[0].length, here);
      return [i + simple[0].length, false];
    }
    if (next === "'" && this.frame.kind !== 'dquote') {
      // $'...': bash reads backslash escapes in it, dash does not, so with a backslash they end it in different places.
      const close = regionEnd(text, i + 2, SH_SINGLE_QUOTED);
      if (text.slice(i + 2, close).includes('\\')) {
        syntax.stop(i, "a $'...' string with a backslash in it, which bash and sh end in different places", "use '...' instead");
        return undefined;
      }
      syntax.fill(i, close, QUOTED);
      return [close, false];
    }
    return [i + 1, false];
  }

  private arithmetic(i: number, wordStart: boolean, frame: Extract<ShFrame, { kind: 'arithmetic' }>): ShellMove | undefined {
    const c = this.text.charAt(i);
    if (c === '(') frame.depth++;
    else if (c === ')') {
      if (frame.depth > 0) frame.depth--;
      else if (this.text.charAt(i + 1) === ')') {
        this.stack.pop();
        this.syntax.fill(i, i + 2, SH_ARITHMETIC);
        return [i + 2, false];
      } else {
        this.syntax.stop(i, 'a $((...)) or ((...)) that does not close with ))', 'write the arithmetic on its own, before the placeholder');
        return undefined;
      }
    }
    return [i + 1, wordStart];
  }

  private code(i: number, wordStart: boolean, frame: CodeFrame): ShellMove | undefined {
    const { text, syntax } = this;
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === '#' && wordStart) return [syntax.region(i, 0, LINE, COMMENT), wordStart];
    if (c === '(' && next === '(' && wordStart) {
      this.stack.push({ kind: 'arithmetic', depth: 0 });
      syntax.fill(i, i + 2, SH_ARITHMETIC);
      return [i + 2, wordStart];
    }
    if (c === '<' && next === '<') {
      // A here-string (<<<word) is an ordinary word.
      if (text.charAt(i + 2) === '<') return [i + 3, true];
      const end = readHeredocOperator(text, i, this.pending, syntax);
      return end === undefined ? undefined : [end, false];
    }
    if (wordStart && (c === '[' || c === ']') && next === c && shBreaks(text.charAt(i + 2))) {
      frame.test = c === '[';
      return [i + 2, true];
    }
    if (frame.substitution && wordStart && /^case(?=[\s;&|()<>]|$)/.test(text.slice(i, i + 5))) {
      // Its patterns end with an unbalanced ")", which would look like the end of the $(...).
      syntax.stop(i, 'case inside $(...)', 'move the case statement out of the $(...)');
      return undefined;
    }
    if (frame.substitution) {
      if (c === '(') frame.depth++;
      else if (c === ')') {
        if (frame.depth === 0) {
          this.stack.pop();
          return [i + 1, false];
        }
        frame.depth--;
      }
    }
    return [i + 1, shBreaks(c)];
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
      const end = regionEnd(text, k + 1, { close: d, closeOutside: true });
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
      let end = regionEnd(text, p, LINE);
      let line = text.slice(p, end);
      let joined = false;
      while (!heredoc.quoted && endsWithContinuation(line) && end < n) {
        const nextEnd = regionEnd(text, end + 1, LINE);
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
