import type { RunProgress, TableDefinition } from '../../../shared/validation';
import { FirebreakError, badInput } from '../../errors';
import type { TableMeasure, TableRef, TargetAdapter } from '../adapters/adapter';
import { redactSecrets } from '../adapters/target-url';

export interface ScanOptions {
  signal?: AbortSignal | undefined;
  /** Called with a fresh snapshot after every change, so a poller never sees a half-updated object. */
  onProgress?: ((p: RunProgress) => void) | undefined;
}

export interface ScannedTable {
  ref: TableRef;
  measure: TableMeasure | null;
  error: string | null;
}

/** Ties a table's display name to its key for matching across engines and imports: public.x and x are one table. */
export const matchKey = (display: string): string => (display.startsWith('public.') ? display.slice('public.'.length) : display);

/**
 * Resolves names the user chose (`--table`) against the target's tables: an exact display name, else a bare name
 * found in exactly one schema. Unknown or ambiguous names are a clear error before anything is scanned.
 */
export function resolveTables(all: readonly TableRef[], requested: readonly string[], where: string): TableRef[] {
  const out: TableRef[] = [];
  const unknown: string[] = [];
  const details: string[] = [];
  for (const raw of requested) {
    const r = raw.trim();
    const exact = all.find((t) => t.display === r);
    const candidates = exact ? [exact] : all.filter((t) => t.name === r || matchKey(t.display) === matchKey(r));
    if (candidates.length === 1 && candidates[0]) {
      if (!out.includes(candidates[0])) out.push(candidates[0]);
    } else if (candidates.length > 1) {
      details.push(`"${r}" is in several schemas: ${candidates.map((c) => c.display).join(', ')}; write schema.table`);
    } else unknown.push(r);
  }
  if (unknown.length) {
    const known = all.map((t) => t.display);
    details.unshift(`Tables there: ${known.slice(0, 30).join(', ')}${known.length > 30 ? `, ... (${known.length} in all)` : ''}${known.length ? '' : 'none'}`);
    throw badInput(`${where} has no table ${unknown.map((u) => `"${u}"`).join(', ')}.`, details);
  }
  if (details.length) throw badInput(`Some chosen tables are ambiguous in ${where}.`, details);
  return out;
}

export class ProgressTracker {
  private readonly state: RunProgress = { phase: 'connecting', tablesTotal: 0, tablesDone: 0, currentTable: null, tables: [] };

  constructor(private readonly listener: ScanOptions['onProgress']) {}

  phase(phase: RunProgress['phase']): void {
    this.state.phase = phase;
    if (phase !== 'scanning') this.state.currentTable = null;
    this.emit();
  }

  plan(tables: readonly string[]): void {
    this.state.tables = tables.map((table) => ({ table, state: 'pending', rows: null }));
    this.state.tablesTotal = tables.length;
    this.state.tablesDone = 0;
    this.emit();
  }

  update(table: string, change: { state: 'running' | 'done' | 'error'; rows?: number | null; message?: string }): void {
    const t = this.state.tables.find((x) => x.table === table);
    if (!t) return;
    const finished = t.state === 'done' || t.state === 'error';
    t.state = change.state;
    if (change.rows !== undefined) t.rows = change.rows;
    if (change.message !== undefined) t.message = change.message;
    if (change.state === 'running') this.state.currentTable = table;
    else if (!finished) this.state.tablesDone += 1;
    this.emit();
  }

  snapshot(): RunProgress {
    return structuredClone(this.state);
  }

  private emit(): void {
    this.listener?.(this.snapshot());
  }
}

/**
 * Measures tables one after another in the adapter's single snapshot. A table that cannot be read is recorded with
 * its error and the scan goes on; cancellation stops it at once.
 */
export async function scanTables(
  adapter: TargetAdapter,
  tables: ReadonlyArray<{ ref: TableRef; checksum: boolean }>,
  progress: ProgressTracker,
  o: ScanOptions,
): Promise<Map<string, ScannedTable>> {
  const out = new Map<string, ScannedTable>();
  progress.phase('scanning');
  for (const { ref, checksum } of tables) {
    if (o.signal?.aborted) throw new FirebreakError('cancelled', 'The validation run was cancelled.');
    progress.update(ref.display, { state: 'running' });
    try {
      const measure = await adapter.measure(ref, {
        checksum,
        signal: o.signal,
        onRows: (rows) => progress.update(ref.display, { state: 'running', rows }),
      });
      out.set(ref.display, { ref, measure, error: null });
      progress.update(ref.display, { state: 'done', rows: measure.rows });
    } catch (e) {
      if (e instanceof FirebreakError && e.code === 'cancelled') throw e;
      const message = redactSecrets((e as Error).message, []);
      out.set(ref.display, { ref, measure: null, error: message });
      progress.update(ref.display, { state: 'error', message });
    }
  }
  return out;
}

export type Definitions = Map<string, TableDefinition>;
