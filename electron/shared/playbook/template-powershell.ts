/**
 * PowerShell as far as it decides where a value may go: '...' and "..." strings (with the typographic quotes PowerShell
 * also accepts), backtick escapes, `$(...)` and `${...}`, here-strings, `#` and `<# #>` comments.
 */
import {
  COMMENT,
  LINE_OR_CR,
  QUOTED,
  type Region,
  type RegionRule,
  type RegionTable,
  type ShellMove,
  type Syntax,
  anyOf,
  escapeWith,
  escapedBy,
  oneOf,
  scanShell,
} from './template-scanner';

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

/** Two quotes in a row stand for one quote, whichever forms of the quote they are. */
const doubled = (isQuote: (c: string) => boolean) => (text: string, k: number): number =>
  isQuote(text.charAt(k)) && isQuote(text.charAt(k + 1)) ? 2 : 0;
/** A here-string ends at a line that starts with its closing quote and @. */
const hereStringClose = (isQuote: (c: string) => boolean) => (text: string, k: number): number =>
  isQuote(text.charAt(k)) && text.charAt(k + 1) === '@' ? 2 : 0;

/** ${...}: the first } not escaped with a backtick. */
const PS_BRACED_NAME: RegionRule = { close: '}', literal: escapeWith('`') };
/** $( inside a string, which PowerShell ends by counting parentheses only, quotes or not. */
const PS_SUB_EXPRESSION: RegionRule = { close: ')', nest: '(' };
/** What "..." and @"..."@ skip whole: a quote inside them does not end the string. */
const PS_EXPANSIONS = [
  { open: '$(', rule: PS_SUB_EXPRESSION },
  { open: '${', rule: PS_BRACED_NAME },
];
/** '...': any single quote ends it, two in a row stand for one. */
const PS_VERBATIM: RegionRule = { close: oneOf(isPsSingleQuote), literal: doubled(isPsSingleQuote) };
const PS_EXPANDABLE: RegionRule = {
  close: oneOf(isPsDoubleQuote),
  literal: anyOf(doubled(isPsDoubleQuote), escapeWith('`')),
  inner: PS_EXPANSIONS,
};
const PS_VERBATIM_HERE_STRING: RegionRule = { close: hereStringClose(isPsSingleQuote), closeAtLineStart: true };
const PS_EXPANDABLE_HERE_STRING: RegionRule = {
  close: hereStringClose(isPsDoubleQuote),
  closeAtLineStart: true,
  literal: escapeWith('`'),
  inner: PS_EXPANSIONS,
};
const PS_BLOCK_COMMENT: RegionRule = { close: '#>' };
/** Strings open anywhere, in a word or not; a placeholder right after $ or @ would join a variable name. */
const PS_REGIONS: RegionTable = [
  { open: oneOf(isPsSingleQuote), until: PS_VERBATIM, region: QUOTED },
  { open: oneOf(isPsDoubleQuote), until: PS_EXPANDABLE, region: QUOTED },
  { open: '$', beforePlaceholder: PS_SIGIL },
  { open: '@', beforePlaceholder: PS_SIGIL },
];

/**
 * PowerShell as its tokenizer reads it: '...' with doubled quotes (also the typographic ones), "..." with backtick
 * escapes, $(...) and ${...}, here-strings, # and <# #> comments. `#`, `<#`, `@'` and `$(` inside a word mean
 * different things in command and expression mode, and --% hands the rest of the line to a program unparsed: the
 * scanner stops there.
 */
export function scanPowerShell(text: string, syntax: Syntax): void {
  scanShell(text, syntax, {
    escape: '`',
    escaped: escapedBy('backtick'),
    lineBreak: anyOf('\r\n', oneOf(isPsNewline)),
    here: () => undefined,
    regions: () => PS_REGIONS,
    read: (i, tokenStart) => readPowerShell(text, syntax, i, tokenStart),
  });
}

function readPowerShell(text: string, syntax: Syntax, i: number, tokenStart: boolean): ShellMove | undefined {
  const c = text.charAt(i);
  const next = text.charAt(i + 1);
  if (c === '#' || (c === '<' && next === '#')) {
    if (!tokenStart) {
      syntax.stop(i, `"${c === '#' ? '#' : '<#'}" inside a word`, 'PowerShell reads it as a comment or as text depending on the context: put a space before it');
      return undefined;
    }
    // A comment ends at a line break or at #>, so what follows starts a token.
    return [c === '#' ? syntax.region(i, 1, LINE_OR_CR, COMMENT) : syntax.region(i, 2, PS_BLOCK_COMMENT, COMMENT), true];
  }
  if (c === '@' && (isPsSingleQuote(next) || isPsDoubleQuote(next))) {
    if (!tokenStart) {
      syntax.stop(i, `"@${next}" inside a word`, 'PowerShell reads it as a here-string or as text depending on the context: put a space before it');
      return undefined;
    }
    let k = i + 2;
    while (isPsWhitespace(text.charAt(k))) k++;
    if (!isPsNewline(text.charAt(k))) {
      syntax.stop(i, `a here-string opened with @${next} but not followed by a line break`, 'start the here-string text on the next line');
      return undefined;
    }
    k += text.charAt(k) === '\r' && text.charAt(k + 1) === '\n' ? 2 : 1;
    return [syntax.region(i, k - i, isPsSingleQuote(next) ? PS_VERBATIM_HERE_STRING : PS_EXPANDABLE_HERE_STRING, PS_HERE_STRING), false];
  }
  if (c === '$' && next === '(') {
    if (!tokenStart) {
      // Inside a word, PowerShell ends $( at the first unbalanced parenthesis, even one inside quotes.
      syntax.stop(i, '"$(" inside a word', 'put the $(...) in a word of its own, or assign it to a variable first');
      return undefined;
    }
    return [i + 2, true];
  }
  if (c === '$' && next === '{') return [syntax.region(i, 2, PS_BRACED_NAME, PS_BRACED), false];
  if (isPsDash(c) && isPsDash(next) && text.charAt(i + 2) === '%') {
    syntax.stop(i, 'the stop-parsing token --%', 'after it PowerShell passes the text to the program without quoting; leave it out');
    return undefined;
  }
  return [i + 1, psStartsToken(c)];
}
