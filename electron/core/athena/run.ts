import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { AthenaExecution, AthenaQuery, AthenaRunResult } from '../../shared/athena';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';
import { intakeBytes, intakeStream } from '../evidence/intake';
import { objectPath } from '../evidence/store';
import { loadHighRiskTable } from '../cloudtrail/analyse/high-risk-load';
import { analyseIncident } from '../cloudtrail/collect/incident-analysis';
import { EventSink, finishCollection, startCollection } from '../cloudtrail/collect/importer';
import { viewOfText } from '../cloudtrail/import/export-reader';
import { CollectionsRepository } from '../cloudtrail/store/collections-repository';
import { FindingsRepository } from '../cloudtrail/store/findings-repository';
import { incidentCloudTrail } from '../cloudtrail/store/incident-context';
import { type AthenaRunner, type Finished } from './athena-runner';
import { type AthenaPlanInput, athenaPlan } from './plan';
import { checkHeader, recordOfRow } from './result-records';

export interface AthenaRunOptions {
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

const TOP_IDENTITIES = 50;
const TOP_RESOURCES = 100;

type Row = Array<string | undefined>;

/** Identity activity summed per principal as its rows stream past: calls, errors, active minutes, first and last. */
class IdentityTally {
  private readonly by = new Map<string, { calls: number; errors: number; activeMinutes: number; first: string; last: string }>();
  add(row: Row): void {
    const [principal = '(unknown)', minute = '', calls = '0', errors = '0'] = row;
    const t = this.by.get(principal) ?? { calls: 0, errors: 0, activeMinutes: 0, first: minute, last: minute };
    t.calls += Number(calls);
    t.errors += Number(errors);
    t.activeMinutes++;
    if (minute < t.first) t.first = minute;
    if (minute > t.last) t.last = minute;
    this.by.set(principal, t);
  }
  top(): AthenaRunResult['identities'] {
    return [...this.by.entries()]
      .sort((a, b) => b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_IDENTITIES)
      .map(([principalArn, t]) => ({ principalArn, ...t }));
  }
}

/**
 * `cloudtrail athena`: runs the plan in Athena (the table first when asked), keeps each query's text and results as
 * evidence with its execution id and data scanned, and brings the high-risk query's records into the incident's
 * events, where the local analysis makes findings and the timeline exactly as for an import.
 */
export async function runInAthena(ctx: CoreContext, input: AthenaPlanInput, runner: AthenaRunner, o: AthenaRunOptions = {}): Promise<AthenaRunResult> {
  const plan = athenaPlan(ctx, input);
  const info = incidentCloudTrail(ctx, input.incidentId);
  const actor = ctx.automated('Athena analysis');
  const table = loadHighRiskTable(ctx.resourcesDir);
  const collections = new CollectionsRepository(ctx.db);
  const incidentId = info.incident.id;
  const collectionId = startCollection(ctx, actor, incidentId, 'import', 'collect', {
    athena: { database: plan.database, table: plan.table, workgroup: plan.workgroup, output: plan.output, scope: plan.scope, estimate: plan.estimate },
    identities: info.identities,
  });
  const sink = new EventSink(ctx, actor, info, collectionId, table);
  const executions: AthenaExecution[] = [];
  const tally = new IdentityTally();
  const blast: AthenaRunResult['blastRadius'] = [];
  const progress = (line: string) => o.onProgress?.(line);

  const execute = async (name: AthenaExecution['name'], sql: string): Promise<Finished> => {
    progress(`${name}: starting in Athena`);
    const done = await runner.run(sql, { ...(o.signal ? { signal: o.signal } : {}), onState: (s, id) => progress(`${name}: ${s} (${id})`) });
    progress(`${name}: SUCCEEDED, ${done.bytesScanned} bytes scanned in ${done.engineMs} ms`);
    return done;
  };

  /** Streams the rows Athena returns into the evidence store as JSON lines: one page in memory at a time. */
  const keepResults = async (q: AthenaQuery, done: Finished, each: (row: Row, index: number) => void) => {
    let rows = -1;
    const lines = async function* (source: AsyncGenerator<Row>) {
      for await (const row of source) {
        if (rows >= 0) each(row, rows);
        rows++;
        if (rows > 0 && rows % 10_000 === 0) progress(`${q.name}: ${rows} rows`);
        yield `${JSON.stringify(row)}\n`;
      }
    };
    const item = await intakeStream(ctx, actor, Readable.from(lines(runner.rows(done.executionId, o.signal))), {
      incidentId,
      name: `athena_${q.name}_${done.executionId}.jsonl`,
      sourceKind: 'cloudtrail-api',
      description: `Athena results of ${q.name} (execution ${done.executionId}, ${done.bytesScanned} bytes scanned; ${collectionId}): the header, then one row a line`,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return { item, rows: Math.max(0, rows) };
  };

  try {
    const text = [plan.ddl, ...plan.queries.map((q) => `-- ${q.name}: ${q.purpose}\n${q.sql}`)].filter(Boolean).join(';\n\n');
    const sqlItem = await intakeBytes(ctx, actor, `${text};\n`, {
      incidentId,
      name: `athena_queries_${collectionId}.sql`,
      sourceKind: 'cloudtrail-api',
      description: `The SQL Firebreak ran in Athena for ${collectionId} (${plan.database}.${plan.table})`,
    });
    ctx.change(actor, { scope: incidentId, action: 'athena.queries-recorded', subject: collectionId, payload: { evidence: sqlItem.id, sha256: sqlItem.sha256, estimate: plan.estimate } }, () =>
      collections.linkEvidence(collectionId, sqlItem.id, 'export', 'Athena SQL'),
    );

    if (plan.ddl) {
      const done = await execute('create-table', plan.ddl);
      ctx.change(actor, { scope: incidentId, action: 'athena.table-created', subject: collectionId, payload: { table: `${plan.database}.${plan.table}`, executionId: done.executionId } }, () =>
        collections.count(collectionId, { pages: 1 }),
      );
      executions.push({ name: 'create-table', executionId: done.executionId, state: 'SUCCEEDED', bytesScanned: done.bytesScanned, engineMs: done.engineMs, rows: 0, evidenceId: sqlItem.id, sha256: sqlItem.sha256 });
    }

    for (const q of plan.queries) {
      const done = await execute(q.name, q.sql);
      const each =
        q.name === 'identity-activity'
          ? (row: Row) => tally.add(row)
          : q.name === 'blast-radius'
            ? (row: Row) => {
                if (blast.length < TOP_RESOURCES) blast.push({ principalArn: row[0] ?? '', eventSource: row[1] ?? '', resource: row[2] ?? '', writes: Number(row[3] ?? 0) });
              }
            : () => {};
      const { item, rows } = await keepResults(q, done, each);
      if (q.name === 'high-risk-events') await recordEvents(objectPath(ctx.dataDir, item.sha256), item.id, sink);
      const record = { name: q.name, executionId: done.executionId, bytesScanned: done.bytesScanned, engineMs: done.engineMs, rows, evidence: item.id, sha256: item.sha256 };
      sink.commit(item.id, record, () => {
        collections.linkEvidence(collectionId, item.id, 'export', `Athena ${q.name} ${done.executionId}`);
        collections.count(collectionId, { pages: 1 });
      }, 'athena.results-recorded');
      executions.push({ name: q.name, executionId: done.executionId, state: 'SUCCEEDED', bytesScanned: done.bytesScanned, engineMs: done.engineMs, rows, evidenceId: item.id, sha256: item.sha256 });
    }
  } catch (e) {
    const cancelled = o.signal?.aborted || (e instanceof FirebreakError && e.code === 'cancelled');
    if (!cancelled) collections.addError(collectionId, (e as Error).message);
    finishCollection(ctx, actor, incidentId, collectionId, cancelled ? 'interrupted' : 'failed');
    if (cancelled && !(e instanceof FirebreakError)) throw new FirebreakError('cancelled', `Cancelled; ${sink.added} events already recorded stay in ${incidentId}.`);
    throw e;
  }
  const analysis = analyseIncident(ctx, info, table, actor, collectionId);
  finishCollection(ctx, actor, incidentId, collectionId, 'done');
  return {
    plan,
    executions,
    collectionId,
    events: sink.seen,
    newEvents: sink.added,
    bytesScanned: executions.reduce((n, x) => n + x.bytesScanned, 0),
    identities: tally.top(),
    blastRadius: blast,
    findings: new FindingsRepository(ctx.db).list(incidentId, analysis.update.added.map((a) => a.id)),
    newFindings: analysis.update.added.length,
  };
}

/** Reads the kept results back (what is analysed is exactly what is kept) and hands each record to the event sink. */
async function recordEvents(path: string, evidenceId: string, sink: EventSink): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = -1;
  for await (const line of lines) {
    if (!line) continue;
    const row = JSON.parse(line) as Row;
    if (n++ < 0) {
      checkHeader(row.map((v) => v ?? ''));
      continue;
    }
    sink.add(viewOfText(JSON.stringify(recordOfRow(row, n))), evidenceId);
  }
}
