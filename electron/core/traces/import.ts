import { splitList } from '../../shared/playbook/parameter-values';
import type { TraceImport } from '../../shared/traces';
import { incidentCloudTrail } from '../cloudtrail/store/incident-context';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { intakeFile } from '../evidence/intake';
import { objectPath } from '../evidence/store';
import { analyseTraces } from './analyse';
import { AFTER_MS, BEFORE_MS } from './correlate';
import { freezeWindow } from './freeze';
import { dbLoginsOf, incidentRecordSlice, windowsOf } from './incident-events';
import { type RawStep, TraceInputError } from './raw-step';
import { readTraceFile } from './trace-file';
import { TracesRepository } from './traces-repository';

export interface TraceImportOptions {
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/**
 * `firebreak trace import`: every file is read first (bad input stops the import before anything is taken, naming the
 * file and position), then taken as evidence (hashed while copied into the locker), read again from the locker's copy
 * so what is recorded is exactly what is kept, tied to the incident's cloud events of every cloud and its database
 * statements, and recorded with its ledger entry. The chain is correlated again whenever it is read (`incidentChain`), so
 * events imported after the trace count too.
 */
export async function importTraces(ctx: CoreContext, incidentId: string, paths: readonly string[], o: TraceImportOptions = {}): Promise<TraceImport> {
  const info = incidentCloudTrail(ctx, incidentId);
  const problems: string[] = [];
  for (const path of paths) {
    try {
      await readTraceFile(path);
    } catch (e) {
      if (!(e instanceof TraceInputError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length) throw badInput(`${problems.length} of the ${paths.length} trace files cannot be read; nothing was imported.`, problems);

  const actor = ctx.automated('Trace import');
  const evidence: TraceImport['evidence'] = [];
  const raw: RawStep[] = [];
  for (const [i, path] of paths.entries()) {
    o.onProgress?.(`[${i + 1}/${paths.length}] ${path}`);
    const item = await intakeFile(ctx, actor, path, { incidentId, sourceKind: 'file', description: 'Agent trace (trace import)', ...(o.signal ? { signal: o.signal } : {}) });
    const kept = await readTraceFile(objectPath(ctx.dataDir, item.sha256));
    // Positions name the file the user gave; the steps themselves are read from the locker's copy.
    for (const s of kept.steps) raw.push({ ...s, source: { ...s.source, file: path } });
    evidence.push({ id: item.id, sha256: item.sha256, path, format: kept.format });
  }
  const freeze = freezeWindow(info.incident.params.freeze_start, info.incident.params.freeze_end, `${incidentId}'s parameters freeze_start and freeze_end`);
  const tools = splitList(info.incident.params.agent_tools ?? '');
  const dbLogins = dbLoginsOf(info.incident.params, info.identities);
  const calls = raw.filter((s) => s.kind === 'tool');
  // A loop, not Math.min(...spans): a trace of hundreds of thousands of spans would overflow the call's arguments.
  let span: [number, number] | null = null;
  for (const s of raw) {
    const from = s.startMs - BEFORE_MS;
    const to = (s.endMs ?? s.startMs) + AFTER_MS;
    span = span ? [Math.min(span[0], from), Math.max(span[1], to)] : [from, to];
  }
  const record = incidentRecordSlice(ctx.db, incidentId, windowsOf(calls), span, dbLogins);
  const analysis = analyseTraces(raw, record.events, { agents: info.identities, freeze, tools, db: record.db, dbLogins });
  const store = new TracesRepository(ctx.db);
  return ctx.change(
    actor,
    (imported: TraceImport) => ({
      scope: incidentId,
      action: 'trace.imported',
      subject: imported.id,
      payload: {
        evidence: imported.evidence.map((e) => ({ id: e.id, sha256: e.sha256, format: e.format })),
        runs: imported.runs,
        toolCalls: imported.toolCalls,
        destructive: imported.destructive,
        findings: imported.findings.map((f) => f.kind),
        cloudEvents: record.events.length,
        dbStatements: record.db.length,
      },
    }),
    () => store.insert(incidentId, evidence, analysis, ctx.now().toISOString()),
  );
}
