import { splitList } from '../../shared/playbook/parameter-values';
import type { TraceImport } from '../../shared/traces';
import { incidentCloudTrail } from '../cloudtrail/store/incident-context';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { intakeFile } from '../evidence/intake';
import { evidenceRepository } from '../evidence/repository';
import { objectPath } from '../evidence/store';
import { analyseTraces } from './analyse';
import { readCloudEventFiles } from './cloud-events';
import { freezeWindow } from './freeze';
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
 * so what is recorded is exactly what is kept, tied to the incident's imported CloudTrail exports and its agent
 * identities, and recorded with its ledger entry.
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
  const exports = evidenceRepository(ctx.db)
    .itemRows(incidentId)
    .filter((r) => r.source_kind === 'cloudtrail-export')
    .map((r) => objectPath(ctx.dataDir, r.sha256));
  const cloud = await readCloudEventFiles([...new Set(exports)], o.signal);
  const freeze = freezeWindow(info.incident.params.freeze_start, info.incident.params.freeze_end, `${incidentId}'s parameters freeze_start and freeze_end`);
  const tools = splitList(info.incident.params.agent_tools ?? '');
  const analysis = analyseTraces(raw, cloud.events, { agents: info.identities, freeze, tools });
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
        cloudEvents: cloud.events.length,
      },
    }),
    () => store.insert(incidentId, evidence, analysis, ctx.now().toISOString()),
  );
}
