/**
 * The core every command-language lexer shares: what a scan learns about a template (`Syntax`), and the one scanner
 * that finds where a quoted region, comment or here-string ends, driven by the language's rule for that region.
 */

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

/** Why a placeholder is not in a plain word, in words that follow "has {{x}} ". */
export interface Region {
  context: Exclude<PlaceholderContext, 'word'>;
  detail: string;
}

export const QUOTED: Region = {
  context: 'quoted',
  detail: 'inside quotes: values are quoted when the command is rendered, so remove the quotes around it',
};
export const COMMENT: Region = {
  context: 'comment',
  detail: 'inside a comment: placeholders are not filled in there, so move it out of the comment',
};

/**
 * What the scanners learn about a template: a region for every offset that is not plain code, placeholders judged on
 * their own (escaped, right after `$`), and the point after which the scanner could not follow the syntax.
 */
export class Syntax {
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

  /** Marks the region whose opening delimiter of `open` characters is at i and that ends by `rule`; returns its end. */
  region(i: number, open: number, rule: RegionRule, region: Region): number {
    const end = regionEnd(this.text, i + open, rule);
    this.fill(i, end, region);
    return end;
  }

  /** Applies the first entry of the table that opens at i; returns the offset after it, or undefined if none does. */
  opening(i: number, table: RegionTable): number | undefined {
    for (const entry of table) {
      const open = lengthAt(this.text, i, entry.open);
      if (!open) continue;
      if ('until' in entry) return this.region(i, open, entry.until, entry.region);
      if (this.isPlaceholderStart(i + open)) {
        this.judge(i + open, entry.beforePlaceholder);
        return i + open;
      }
    }
    return undefined;
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

// ---------------------------------------------------------------------------------------------------------------
// The quoted-region scanner.

/** A delimiter: its exact text, or a function giving the length of the delimiter at k (0 where there is none). */
export type Delimiter = string | ((text: string, k: number) => number);

/** How a region of one language ends once its opening delimiter has been read. */
export interface RegionRule {
  close: Delimiter;
  /** The region stops before its closing delimiter: a line comment ends before the newline, which stays code. */
  closeOutside?: boolean;
  /** The closing delimiter counts only at the start of a line (PowerShell here-strings). */
  closeAtLineStart?: boolean;
  /** Sequences read as text even where they hold a closing delimiter: doubled quotes, escapes. */
  literal?: Delimiter;
  /** An opening delimiter that nests, so each needs its own close (T-SQL block comments, parentheses of `$(`). */
  nest?: string;
  /** Regions inside this one that are skipped whole, closers and all (PowerShell's `$(...)` inside "..."). */
  inner?: ReadonlyArray<{ open: string; rule: RegionRule }>;
}

const lengthAt = (text: string, k: number, d: Delimiter): number =>
  typeof d === 'string' ? (text.startsWith(d, k) ? d.length : 0) : d(text, k);

/** Any one character that passes the test: a quote with typographic variants, a newline. */
export const oneOf =
  (test: (c: string) => boolean): Delimiter =>
  (text, k) =>
    k < text.length && test(text.charAt(k)) ? 1 : 0;

/** An escape character: it and the character after it are text. */
export const escapeWith =
  (escape: string): Delimiter =>
  (text, k) =>
    text.charAt(k) === escape ? 2 : 0;

/** The first delimiter that matches at k. */
export const anyOf =
  (...delimiters: Delimiter[]): Delimiter =>
  (text, k) => {
    for (const d of delimiters) {
      const length = lengthAt(text, k, d);
      if (length) return length;
    }
    return 0;
  };

/** The end of a region whose text starts at `from` (just after its opening delimiter); the end of the text if unclosed. */
export function regionEnd(text: string, from: number, rule: RegionRule): number {
  const n = text.length;
  let depth = 1;
  let lineStart = true;
  let k = from;
  while (k < n) {
    const literal = rule.literal === undefined ? 0 : lengthAt(text, k, rule.literal);
    if (literal) {
      k += literal;
      lineStart = false;
      continue;
    }
    const close = rule.closeAtLineStart && !lineStart ? 0 : lengthAt(text, k, rule.close);
    if (close) {
      depth--;
      if (depth === 0) return rule.closeOutside ? k : k + close;
      k += close;
      lineStart = false;
      continue;
    }
    if (rule.nest !== undefined && text.startsWith(rule.nest, k)) {
      depth++;
      k += rule.nest.length;
      lineStart = false;
      continue;
    }
    const inner = rule.inner?.find((r) => text.startsWith(r.open, k));
    if (inner) {
      k = regionEnd(text, k + inner.open.length, inner.rule);
      lineStart = false;
      continue;
    }
    const c = text.charAt(k);
    lineStart = c === '\n' || c === '\r';
    k++;
  }
  return n;
}

/** The rest of a line: a line comment, a line of a here-document. `\r` ends it too where the language says so. */
export const LINE: RegionRule = { close: '\n', closeOutside: true };
export const LINE_OR_CR: RegionRule = { close: oneOf((c) => c === '\n' || c === '\r'), closeOutside: true };

// ---------------------------------------------------------------------------------------------------------------
// A language's regions as a table, tried in order at each offset.

export type RegionTable = ReadonlyArray<
  | { open: Delimiter; until: RegionRule; region: Region }
  /** A placeholder right after `open` is judged on its own: the opener would change what its value means. */
  | { open: Delimiter; beforePlaceholder: Region }
>;

/** Scans a language whose strings and comments are all the syntax that matters (no nested code), by its table. */
export function scanWithTable(text: string, syntax: Syntax, table: RegionTable): void {
  let i = 0;
  while (i < text.length) i = syntax.wordPlaceholderEnd(i) ?? syntax.opening(i, table) ?? i + 1;
}

// ---------------------------------------------------------------------------------------------------------------
// What bash and PowerShell share: words, an escape character, strings that may stand inside a word.

/** Where a shell lexer goes on: the offset, and whether a word (a token) starts there. */
export type ShellMove = readonly [next: number, wordStart: boolean];

export interface ShellLexer {
  /** The escape character: the backslash in POSIX shells, the backtick in PowerShell. */
  escape: string;
  /** Why a placeholder right after it is not filled in: the escape would take its value's opening quote. */
  escaped: Region;
  /** A line break, which an escape before it turns into a line continuation. */
  lineBreak: Delimiter;
  /** The region a placeholder is in where the lexer is now (inside "...", arithmetic), if any. */
  here(): Region | undefined;
  /** The regions that may open where the lexer is now; they also open inside a word. */
  regions(): RegionTable;
  /** Reads the rest of the language's syntax at i; undefined once it has stopped. */
  read(i: number, wordStart: boolean, here: Region | undefined): ShellMove | undefined;
}

/** A placeholder right after a shell's escape character (named as the advice names it). */
export const escapedBy = (name: string): Region => ({
  context: 'escaped',
  detail: `right after a ${name}, which would escape the opening quote of the value: remove the ${name}`,
});

/**
 * Scans a shell command: a placeholder in a plain word is skipped whole (its value is one quoted literal), the escape
 * character takes the next character with it, a region of the lexer's table is skipped, and the lexer reads the rest.
 */
export function scanShell(text: string, syntax: Syntax, lexer: ShellLexer): void {
  let move: ShellMove | undefined = [0, true];
  while (move[0] < text.length && !syntax.stopped) {
    const [i, wordStart]: ShellMove = move;
    const here = lexer.here();
    syntax.fill(i, i + 1, here);
    move = sharedMove(text, syntax, lexer, i, wordStart, here) ?? lexer.read(i, wordStart, here);
    if (move === undefined) return;
  }
}

function sharedMove(text: string, syntax: Syntax, lexer: ShellLexer, i: number, wordStart: boolean, here: Region | undefined): ShellMove | undefined {
  const placeholderEnd = here ? undefined : syntax.wordPlaceholderEnd(i);
  if (placeholderEnd !== undefined) return [placeholderEnd, false];
  if (text.charAt(i) === lexer.escape) {
    syntax.judge(i + 1, here ?? lexer.escaped);
    syntax.fill(i, i + 2, here);
    const lineBreak = lengthAt(text, i + 1, lexer.lineBreak);
    // An escaped line break continues the line: the word goes on as if it were not there.
    return lineBreak ? [i + 1 + lineBreak, wordStart] : [i + 2, false];
  }
  const end = syntax.opening(i, lexer.regions());
  return end === undefined ? undefined : [end, false];
}
