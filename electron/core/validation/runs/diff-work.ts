import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassifyResult, RowDiffProgress, RowDiffResult } from '../../../shared/row-diff';
import type { RunProgress, TableProgress } from '../../../shared/validation';
import { type TargetAdapter, rowAdapter } from '../adapters/adapter';
import { openTarget, withTarget } from '../adapters/connect';
import type { TargetSpec } from '../adapters/target-url';
import { classifyDatabase } from '../classify/classify';
import { diffDatabases } from '../diff/row-diff';
import type { WorkContext, WorkOutcome } from './work';

export type DiffWork =
  | { kind: 'diff'; reference: TargetSpec; actual: TargetSpec; tables?: string[] | undefined; classify: boolean }
  | { kind: 'classify'; target: TargetSpec; tables?: string[] | undefined; sample?: number | undefined };

/** Turns the per-table steps of a diff or classification into the wizard's run progress (a list of tables). */
function progressOf(onProgress: (p: RunProgress) => void) {
  const tables = new Map<string, TableProgress>();
  return (p: { tablesTotal: number; tablesDone: number; currentTable: string | null; phase?: RowDiffProgress['phase'] }) => {
    for (const t of tables.values()) if (t.state === 'running' && t.table !== p.currentTable) t.state = 'done';
    if (p.currentTable && !tables.has(p.currentTable)) tables.set(p.currentTable, { table: p.currentTable, state: 'running', rows: null });
    // The last table done is the run done: no table is still being read.
    const finished = p.tablesTotal > 0 && p.tablesDone >= p.tablesTotal;
    if (finished) for (const t of tables.values()) t.state = 'done';
    const current = finished ? null : p.currentTable;
    const phase = p.phase === 'connecting' || p.phase === 'listing' || p.phase === 'finished' ? p.phase : 'scanning';
    onProgress({ phase, tablesTotal: p.tablesTotal, tablesDone: p.tablesDone, currentTable: current, tables: [...tables.values()].map((t) => ({ ...t })) });
  };
}

const classesOf = (tables: ReadonlyArray<{ classes: readonly string[] }>): string[] => [...new Set(tables.flatMap((t) => t.classes))].sort();

/** One line for the history: which tables lost or changed rows, and the classes of personal data among them. */
export function diffSummaryLine(r: RowDiffResult): string {
  const differing = r.tables.filter((t) => t.status !== 'match');
  if (differing.length === 0) return `${r.tables.length} tables, same rows`;
  const parts = differing.slice(0, 5).map((t) =>
    t.status === 'differs' ? `${t.table} ${t.missing} missing, ${t.extra} extra, ${t.changed} changed` : `${t.table} ${t.status}`,
  );
  const classes = classesOf(differing.flatMap((t) => (t.personal ? [t.personal] : [])));
  const more = differing.length > 5 ? `, ${differing.length - 5} more` : '';
  return `${differing.length} of ${r.tables.length} tables differ: ${parts.join('; ')}${more}${classes.length ? `; ${classes.join(', ')} in the loss` : ''}`;
}

export function classifySummaryLine(r: ClassifyResult): string {
  const personal = r.tables.filter((t) => t.classes.length > 0);
  if (personal.length === 0) return `${r.tables.length} tables, no personal data found`;
  const names = personal.slice(0, 5).map((t) => t.table).join(', ');
  return `${classesOf(personal).join(', ')} in ${personal.length} of ${r.tables.length} tables: ${names}${personal.length > 5 ? ', …' : ''}`;
}

/**
 * A diff as a run of an incident: both databases open read-only at once, the key lists written to a private temporary
 * folder and taken in as evidence (then named by evidence id in the result), the folder removed whatever happens.
 */
async function performDiff(work: Extract<DiffWork, { kind: 'diff' }>, c: WorkContext): Promise<WorkOutcome> {
  const o = { nativeBinding: c.nativeBinding };
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-diff-'));
  const opened = await Promise.allSettled([openTarget(work.reference, o), openTarget(work.actual, o)]);
  const open = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [ref, act] = open as [TargetAdapter, TargetAdapter];
    const r = await diffDatabases(rowAdapter(ref, 'diff'), rowAdapter(act, 'diff'), {
      tables: work.tables ?? [],
      keysOut: dir,
      classify: work.classify,
      signal: c.signal,
      onProgress: progressOf(c.onProgress),
      now: () => c.now().toISOString(),
    });
    for (const t of r.tables) {
      if (!t.keysFile) continue;
      const kept = await c.keep(t.keysFile, `diff-${c.runId}-${t.keysFile.slice(dir.length + 1)}`,
        `Keys of ${t.table} that differ between ${r.reference} (reference) and ${r.actual}: ${t.missing} missing, ${t.extra} extra, ${t.changed} changed (${c.runId})`);
      t.keysFile = `${kept.id} ${kept.name}`;
    }
    const differing = r.tables.filter((t) => t.status !== 'match');
    return {
      body: `${JSON.stringify(r, null, 2)}\n`,
      engine: act.engine,
      verdict: r.match ? 'match' : 'mismatch',
      summary: diffSummaryLine(r),
      evidenceName: `diff-${c.runId}.json`,
      sourceKind: 'validation-result',
      record: {
        match: r.match,
        classes: classesOf(differing.flatMap((t) => (t.personal ? [t.personal] : []))),
        differences: differing.slice(0, 100).map((t) => ({ table: t.table, status: t.status, missing: t.missing, extra: t.extra, changed: t.changed })),
      },
    };
  } finally {
    await Promise.all(open.map((a) => a.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function performClassify(work: Extract<DiffWork, { kind: 'classify' }>, c: WorkContext): Promise<WorkOutcome> {
  const r = await withTarget(work.target, { nativeBinding: c.nativeBinding }, (a) =>
    classifyDatabase(rowAdapter(a, 'classify'), {
      tables: work.tables ?? [],
      ...(work.sample ? { sample: work.sample } : {}),
      signal: c.signal,
      onProgress: progressOf(c.onProgress),
      now: () => c.now().toISOString(),
    }),
  );
  const personal = r.tables.filter((t) => t.classes.length > 0);
  return {
    body: `${JSON.stringify(r, null, 2)}\n`,
    engine: work.target.engine,
    verdict: 'captured',
    summary: classifySummaryLine(r),
    evidenceName: `classify-${c.runId}.json`,
    sourceKind: 'validation-result',
    record: { classes: classesOf(personal), tables: personal.slice(0, 100).map((t) => ({ table: t.table, classes: t.classes, subjects: t.subjects?.count ?? null })) },
  };
}

export const performDiffWork = (work: DiffWork, c: WorkContext): Promise<WorkOutcome> =>
  work.kind === 'diff' ? performDiff(work, c) : performClassify(work, c);
