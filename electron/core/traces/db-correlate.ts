import type { CorrelatedEvent, CorrelationReason, UnexplainedCloudEvent } from '../../shared/traces';
import { redactSecrets } from '../evidence/secret-scan';
import { AFTER_MS, BEFORE_MS, type CorrelationStep, MAX_LINKS_PER_CALL, callText, confidenceOf, containsToken, stem } from './correlate';
import { wordsOf } from './destructive';

/** One statement of a database's own log, as the chain correlates it (read from `db_log_statements` or a `--logs` file). */
export interface DbChange {
  /** `EVIDENCE:LINE[:TABLE]` for imported statements, `FILE:LINE[:TABLE]` for a scanned log. */
  id: string;
  at: string;
  timeMs: number;
  login: string | null;
  database: string | null;
  operation: string;
  destructive: boolean;
  table: string | null;
  rows: number | null;
  statement: string;
}

/** The statement text kept with a link: enough to recognise it, never a secret typed into it. */
const STATEMENT_CHARS = 500;

/** Names a table goes by in a tool's arguments: `shop.customer` as written, and `customer` alone. */
function tableNames(table: string | null): string[] {
  if (!table) return [];
  const full = table.toLowerCase();
  const last = full.split('.').at(-1) ?? full;
  return [...new Set([full, last])].filter((n) => n.length >= 3);
}

function reasonsFor(step: CorrelationStep, call: ReturnType<typeof callText>, logins: ReadonlySet<string>, s: DbChange, destructiveCall: boolean): CorrelationReason[] | null {
  if (s.timeMs < step.startMs - BEFORE_MS || s.timeMs > (step.endMs ?? step.startMs) + AFTER_MS) return null;
  const reasons: CorrelationReason[] = ['time'];
  const opWords = wordsOf(s.operation).map(stem);
  if (opWords.length && opWords.every((w) => call.words.has(w))) reasons.push('operation');
  if (tableNames(s.table).some((n) => containsToken(call.text, n))) reasons.push('resource');
  if (s.login !== null && logins.has(s.login.toLowerCase())) reasons.push('identity');
  // A verb is no name in SQL (every DELETE would match every tool that deletes): the table ties a statement, or the verb
  // with the agent's login. As with cloud events, time and the login alone tie only a destructive call to a destructive
  // statement that came after it began.
  const identity = reasons.includes('identity');
  const named = reasons.includes('resource') || (reasons.includes('operation') && identity);
  const after = s.timeMs >= Math.floor(step.startMs / 1000) * 1000;
  if (!named && !(identity && destructiveCall && s.destructive && after)) return null;
  return reasons;
}

/**
 * Each tool call's database changes (time window, the login against the agent's identities, the statement's verb and
 * table in the tool's arguments), strongest first; and the destructive statements no tool call explains.
 */
export function correlateDb<S extends CorrelationStep>(
  tools: readonly { step: S; destructive: boolean }[],
  statements: readonly DbChange[],
  logins: readonly string[],
): { links: Map<S, CorrelatedEvent[]>; unexplained: UnexplainedCloudEvent[] } {
  const known = new Set(logins.map((l) => l.toLowerCase()));
  const links = new Map<S, CorrelatedEvent[]>();
  const explained = new Set<DbChange>();
  const sorted = [...statements].sort((a, b) => a.timeMs - b.timeMs);
  const firstAtOrAfter = (ms: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as DbChange).timeMs < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const t of tools) {
    const found: CorrelatedEvent[] = [];
    const call = callText(t.step);
    for (let k = firstAtOrAfter(t.step.startMs - BEFORE_MS); k < sorted.length; k++) {
      const s = sorted[k] as DbChange;
      if (s.timeMs > (t.step.endMs ?? t.step.startMs) + AFTER_MS) break;
      const reasons = reasonsFor(t.step, call, known, s, t.destructive);
      if (!reasons) continue;
      explained.add(s);
      found.push({
        cloud: 'db',
        eventID: s.id,
        eventTime: s.at,
        operation: s.operation,
        principal: s.login ?? '',
        reasons,
        confidence: confidenceOf(reasons),
        table: s.table,
        database: s.database,
        rows: s.rows,
        statement: redactSecrets(s.statement.slice(0, STATEMENT_CHARS)),
      });
    }
    const rank = { high: 0, medium: 1, low: 2 } as const;
    // Found in time order, so a stable sort by confidence keeps time order within each level.
    links.set(t.step, found.sort((a, b) => rank[a.confidence] - rank[b.confidence]).slice(0, MAX_LINKS_PER_CALL));
  }
  const unexplained = sorted
    .filter((s) => s.destructive && !explained.has(s))
    .map((s) => ({ cloud: 'db' as const, eventID: s.id, eventTime: s.at, operation: s.operation, principal: s.login ?? '', resources: s.table ? [s.table] : [] }));
  return { links, unexplained };
}

/** Cloud links and database links of one call in one list, strongest first, then in time order, at most MAX_LINKS_PER_CALL. */
export function mergeLinks(a: readonly CorrelatedEvent[], b: readonly CorrelatedEvent[]): CorrelatedEvent[] {
  const rank = { high: 0, medium: 1, low: 2 } as const;
  return [...a, ...b]
    .map((link) => ({ link, ms: Date.parse(link.eventTime) }))
    .sort((x, y) => rank[x.link.confidence] - rank[y.link.confidence] || x.ms - y.ms)
    .slice(0, MAX_LINKS_PER_CALL)
    .map((x) => x.link);
}
