/**
 * Lint of one playbook's YAML text: syntax, the schema, then the cross-reference rules, every problem with the line and
 * column an author has to look at. Pure, so the CLI, the core library and the UI's editor all run the same checks.
 */
import { type Document, LineCounter, parseAllDocuments } from 'yaml';
import type { ControlCatalog } from './catalog';
import { describeIssue, type Finding } from './lint-describe';
import { checkPlaybook } from './lint-rules';
import { playbookFieldNames } from './json-schema';
import { type Playbook, playbookSchema } from './schema';
import { YamlLocator } from './yaml-locate';

export interface LintProblem {
  line: number;
  col: number;
  message: string;
}

export interface LintResult {
  /** The parsed playbook, present only when there is no problem. */
  playbook?: Playbook;
  /** Where its id is written, to point at when another file uses the same id. */
  idAt?: { line: number; col: number };
  problems: LintProblem[];
}

export interface LintOptions {
  /** SP 800-53 ids are checked against it when given (the core always gives the shipped catalog). */
  catalog?: ControlCatalog;
}

/** `file:line:col: message`, the form editors and CI annotate from. */
export const formatProblem = (file: string, p: LintProblem): string => `${file}:${p.line}:${p.col}: ${p.message}`;

export function lintPlaybookText(text: string, options: LintOptions = {}): LintResult {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const at = (offset: number) => lines.linePos(offset);
  if (docs.length === 0 || docs[0]?.contents === null) {
    return { problems: [{ line: 1, col: 1, message: 'the file holds no playbook: start with id, version, title and summary' }] };
  }
  const problems: LintProblem[] = [];
  if (docs.length > 1) {
    const { line, col } = at(docs[1]?.range[0] ?? 0);
    problems.push({ line, col, message: 'a file holds one playbook: found a second YAML document (remove the "---")' });
  }
  const doc = docs[0] as Document;
  for (const e of [...doc.errors, ...doc.warnings]) {
    const { line, col } = at(e.pos[0]);
    problems.push({ line, col, message: `YAML: ${yamlMessage(e.message)}` });
  }
  if (problems.length) return { problems: sorted(problems) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { problems: [{ line: 1, col: 1, message: `YAML: ${(e as Error).message}` }] };
  }
  const locator = new YamlLocator(doc, lines, text);
  const place = (findings: Finding[]) =>
    findings.map((f) => ({ ...locator.position(f), message: f.message }));

  const result = playbookSchema.safeParse(data);
  if (!result.success) {
    const fields = playbookFieldNames();
    return { problems: sorted(place(result.error.issues.flatMap((issue) => describeIssue(issue, data, fields)))) };
  }
  const findings = checkPlaybook({
    playbook: result.data,
    data,
    ...(options.catalog ? { catalog: options.catalog } : {}),
    lineOf: (path) => locator.position({ path }).line,
  });
  if (findings.length) return { problems: sorted(place(findings)) };
  return { playbook: result.data, idAt: locator.position({ path: ['id'] }), problems: [] };
}

/** Parses a playbook known to be valid (e.g. the content pinned by an incident); throws with the first problem otherwise. */
export function parsePlaybook(text: string, options: LintOptions = {}): Playbook {
  const { playbook, problems } = lintPlaybookText(text, options);
  if (!playbook) {
    const first = problems[0];
    throw new Error(first ? `playbook is not valid: line ${first.line}, column ${first.col}: ${first.message}` : 'playbook is not valid');
  }
  return playbook;
}

/** The parser's messages end with their own position; ours is already in front. */
const yamlMessage = (message: string): string => message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').trim();

function sorted(problems: LintProblem[]): LintProblem[] {
  const seen = new Set<string>();
  return problems
    .sort((a, b) => a.line - b.line || a.col - b.col)
    .filter((p) => {
      const key = `${p.line}:${p.col}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
