import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type * as z from 'zod';
import type { importBaselineInput, startValidationInput } from '../../../shared/contract/validation';
import { SELF_FILING_RECORDS } from '../../../shared/playbook/vocabulary';
import type { ClassifyResult, RowDiffResult } from '../../../shared/row-diff';
import type { BaselineManifest, DiffKeys, ValidationResultBody, ValidationRun, ValidationRunKind } from '../../../shared/validation';
import type { CoreContext } from '../../context';
import { FirebreakError, badInput, notFound } from '../../errors';
import { intakeBytes, intakeFile } from '../../evidence/intake';
import { evidenceRepository } from '../../evidence/repository';
import { objectPath } from '../../evidence/store';
import { IncidentRepository } from '../../incidents/repository';
import type { Actor } from '../../ledger/ledger';
import { artifactsFilledBy } from '../../workflow/auto-links';
import { type TargetSpec, isServerTarget, redactSecrets } from '../adapters/target-url';
import { parseBaselineFile } from '../baseline/manifest';
import { readKeyListHead } from './key-list';
import { LiveRuns, waitForChange } from './live-runs';
import { type RunWork, completedAction, performWork } from './run-work';
import { ValidationRunRepository } from './runs-repository';

type StartInput = z.output<typeof startValidationInput>;
type ImportInput = z.output<typeof importBaselineInput>;

/** A target's parsed spec, with where its password came from (recorded; the password itself never is). */
export interface ResolvedTarget {
  spec: TargetSpec;
  credential: 'in-url' | 'given' | 'remembered' | 'none';
}

/** Diffs and classifications fill no playbook artifact by themselves: the IR lead links them to a step. */
const selfFiling = (kind: ValidationRunKind): kind is Extract<ValidationRunKind, (typeof SELF_FILING_RECORDS)[number]> =>
  (SELF_FILING_RECORDS as readonly string[]).includes(kind);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
/** Each run holds one connection to its target; a few at once is plenty for a wizard. */
const MAX_LIVE_RUNS = 4;

/**
 * Starts validation runs in the background and records them: a row and a ledger entry when a run starts, the result
 * saved as evidence and a second ledger entry when it ends (done, failed or cancelled). Passwords stay in memory.
 */
export class ValidationRunner {
  private readonly repo: ValidationRunRepository;
  private readonly live = new LiveRuns(MAX_LIVE_RUNS);

  constructor(
    private readonly ctx: CoreContext,
    private readonly nativeBinding: string | undefined,
    private readonly resolveTarget: (target: { url: string; password?: string | undefined }) => ResolvedTarget,
  ) {
    this.repo = new ValidationRunRepository(ctx.db);
  }

  start(input: StartInput): ValidationRun {
    const actor = this.ctx.human();
    const machine = this.ctx.automated('database validation');
    this.requireIncident(input.incidentId);
    if (this.live.size >= this.live.limit) {
      throw new FirebreakError('conflict', `${this.live.size} validation runs are already running; wait for one to finish or cancel it.`);
    }
    const { work, credential } = this.prepare(input);
    const target = 'target' in work ? work.target.display : 'reference' in work ? `${work.reference.display} -> ${work.actual.display}` : work.path;
    const engine = 'target' in work ? work.target.engine : 'actual' in work ? work.actual.engine : null;
    const baselineRunId = input.kind === 'compare' ? input.baselineRunId : null;
    const options = {
      ...('tables' in input && input.tables?.length ? { tables: input.tables } : {}),
      ...('schemas' in input && input.schemas?.length ? { schemas: input.schemas } : {}),
      ...(input.kind === 'check-backup' && input.expectedSha256 ? { expectedSha256: input.expectedSha256.toLowerCase() } : {}),
      ...(input.kind === 'diff' ? { reference: work.kind === 'diff' ? work.reference.display : null, classify: input.classify ?? false } : {}),
      ...(input.kind === 'classify' && input.sample ? { sample: input.sample } : {}),
    };
    const run = this.ctx.change(
      actor,
      (r) => ({
        scope: input.incidentId,
        action: 'validation.started',
        subject: r.id,
        payload: { kind: input.kind, target, engine, baselineRunId, ...options, ...(credential ? { credential } : {}) },
      }),
      () =>
        this.repo.insert({
          incidentId: input.incidentId,
          kind: input.kind,
          target,
          engine,
          baselineRunId,
          options,
          startedAt: this.ctx.now().toISOString(),
          startedBy: actor,
        }),
    );
    const live = this.live.add(run.id);
    void this.execute(run, work, machine, input.linkedSteps);
    return { ...run, progress: live.progress };
  }

  async status(runId: string, waitMs: number): Promise<ValidationRun> {
    const live = this.live.get(runId);
    if (live && waitMs > 0) await waitForChange(live, waitMs);
    return this.view(this.getRun(runId));
  }

  async cancel(runId: string): Promise<ValidationRun> {
    const actor = this.ctx.human();
    const run = this.getRun(runId);
    const live = this.live.get(runId);
    if (live) {
      live.cancelledBy = actor;
      live.controller.abort();
      // Engines stop within moments; answer with the settled run when they do, or with the run still stopping.
      const deadline = Date.now() + 10_000;
      while (this.live.get(runId) === live && Date.now() < deadline) await waitForChange(live, deadline - Date.now());
      return this.view(this.getRun(runId));
    }
    if (run.status !== 'running') throw new FirebreakError('conflict', `${runId} has already ended (${run.status}).`);
    // Recorded as running but not running here: cut off by a restart. Closing it keeps the history honest.
    return this.ctx.change(actor, { scope: run.incidentId, action: 'validation.cancelled', subject: runId, payload: { interrupted: true } }, () => {
      const r = this.repo.finish(runId, { status: 'cancelled', finishedAt: this.ctx.now().toISOString(), error: 'interrupted (Firebreak was closed while it ran)' });
      if (!r) throw new FirebreakError('conflict', `${runId} has just ended.`);
      return r;
    });
  }

  list(incidentId: string, kind?: ValidationRun['kind']): ValidationRun[] {
    this.requireIncident(incidentId);
    return this.repo.list(incidentId, kind).map((r) => this.view(r));
  }

  result(runId: string): ValidationResultBody {
    const run = this.getRun(runId);
    const text = this.storedResult(run);
    const doc = JSON.parse(text) as unknown;
    switch (run.kind) {
      case 'baseline':
      case 'import':
        return { kind: run.kind, manifest: this.manifestOf(run, text) };
      case 'compare':
        return { kind: 'compare', result: doc as Extract<ValidationResultBody, { kind: 'compare' }>['result'] };
      case 'check-database':
        return { kind: 'check-database', check: doc as Extract<ValidationResultBody, { kind: 'check-database' }>['check'] };
      case 'check-backup':
        return { kind: 'check-backup', check: doc as Extract<ValidationResultBody, { kind: 'check-backup' }>['check'] };
      case 'diff':
        return { kind: 'diff', diff: doc as RowDiffResult };
      case 'classify':
        return { kind: 'classify', classify: doc as ClassifyResult };
    }
  }

  /** The first keys of a diff run's key list for one table, read from the stored evidence and checked against its hash. */
  async diffKeys(runId: string, table: string, limit: number): Promise<DiffKeys> {
    const run = this.getRun(runId);
    if (run.kind !== 'diff') throw badInput(`${runId} is a ${run.kind} run, not a diff.`);
    const body = this.result(runId);
    const t = body.kind === 'diff' ? body.diff.tables.find((x) => x.table === table) : undefined;
    if (!t) throw notFound(`${runId} compared no table ${table}.`);
    const evidenceId = t.keysFile?.split(' ')[0];
    if (!evidenceId) return { runId, table, evidenceId: '', header: [], keys: [], total: 0 };
    const item = evidenceRepository(this.ctx.db).itemRow(evidenceId);
    if (!item) throw notFound(`The key list ${evidenceId} of ${table} is not in the evidence of ${run.incidentId}.`);
    const head = await readKeyListHead(objectPath(this.ctx.dataDir, item.sha256), item.sha256, limit);
    return { runId, table, evidenceId, ...head };
  }

  async importBaseline(input: ImportInput): Promise<ValidationRun> {
    const actor = this.ctx.human();
    this.requireIncident(input.incidentId);
    const startedAt = this.ctx.now();
    // Parsed first: a malformed file is refused before anything is recorded.
    const manifest = parseBaselineFile(input.content, input.fileName, () => startedAt);
    const item = await intakeBytes(this.ctx, actor, input.content, {
      incidentId: input.incidentId,
      name: input.fileName,
      sourceKind: 'database-baseline',
      description: `Imported baseline: ${manifest.tables.length} tables (${manifest.source === 'csv' ? 'row counts only' : manifest.engine})`,
      linkedSteps: [...(input.linkedSteps ?? []), ...artifactsFilledBy(this.ctx.db, input.incidentId, 'import')],
    });
    const rows = manifest.tables.reduce((s, t) => s + (t.rows ?? 0), 0);
    return this.ctx.change(
      actor,
      (done) => ({
        scope: input.incidentId,
        action: completedAction.import,
        subject: done.id,
        payload: { fileName: input.fileName, source: manifest.source, tables: manifest.tables.length, rows, evidenceId: item.id, sha256: item.sha256 },
      }),
      () => {
        const run = this.repo.insert({
          incidentId: input.incidentId,
          kind: 'import',
          target: manifest.target ?? input.fileName,
          engine: manifest.engine,
          baselineRunId: null,
          options: { fileName: input.fileName, source: manifest.source },
          startedAt: startedAt.toISOString(),
          startedBy: actor,
        });
        return this.repo.finish(run.id, {
          status: 'done',
          finishedAt: this.ctx.now().toISOString(),
          verdict: 'captured',
          summary: `${manifest.tables.length} tables, ${rows} rows (${manifest.source === 'csv' ? 'CSV, counts only' : 'manifest'})`,
          result: input.content,
          resultSha256: item.sha256,
          evidenceId: item.id,
        }) as ValidationRun;
      },
    );
  }

  private prepare(input: StartInput): { work: RunWork; credential: ResolvedTarget['credential'] | null } {
    if (input.kind === 'check-backup') {
      try {
        if (!statSync(input.path).isFile()) throw badInput(`${input.path} is not a file.`);
      } catch (e) {
        if (e instanceof FirebreakError) throw e;
        throw badInput(`The backup file ${input.path} ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read'}.`);
      }
      return { work: { kind: 'check-backup', path: input.path, expectedSha256: input.expectedSha256 }, credential: null };
    }
    if (input.kind === 'diff') {
      const reference = this.resolveTarget(input.reference);
      const actual = this.resolveTarget(input.actual);
      const credential = [reference, actual].find((t) => t.spec.engine !== 'sqlite' && t.credential !== 'none')?.credential ?? null;
      return { work: { kind: 'diff', reference: reference.spec, actual: actual.spec, tables: input.tables, classify: input.classify ?? false }, credential };
    }
    const { spec: target, credential: c } = this.resolveTarget(input.target);
    const credential = target.engine === 'sqlite' ? null : c;
    if (input.kind === 'baseline') return { work: { kind: 'baseline', target, tables: input.tables, schemas: input.schemas }, credential };
    if (input.kind === 'check-database') return { work: { kind: 'check-database', target, tables: input.tables }, credential };
    if (input.kind === 'classify') return { work: { kind: 'classify', target, tables: input.tables, sample: input.sample }, credential };
    const base = this.getRun(input.baselineRunId);
    if (base.incidentId !== input.incidentId) throw badInput(`${base.id} belongs to ${base.incidentId}, not ${input.incidentId}.`);
    if (base.kind !== 'baseline' && base.kind !== 'import') throw badInput(`${base.id} is a ${base.kind} run, not a baseline.`);
    if (base.status !== 'done') throw badInput(`${base.id} did not finish (${base.status}); capture or import a baseline first.`);
    return {
      work: { kind: 'compare', target, baseline: this.manifestOf(base, this.storedResult(base)), baselineSha256: base.resultSha256 },
      credential,
    };
  }

  private async execute(run: ValidationRun, work: RunWork, machine: Actor, linkedSteps: string[] | undefined): Promise<void> {
    const live = this.live.get(run.id);
    if (!live) return;
    const secrets = ('target' in work ? [work.target] : 'reference' in work ? [work.reference, work.actual] : []).map((t) => (isServerTarget(t) ? t.password : undefined));
    try {
      const outcome = await performWork(work, {
        runId: run.id,
        signal: live.controller.signal,
        onProgress: (p) => live.setProgress(p),
        nativeBinding: this.nativeBinding,
        now: () => this.ctx.now(),
        keep: async (path, name, description) => {
          const item = await intakeFile(this.ctx, machine, path, { incidentId: run.incidentId, name, sourceKind: 'file', description });
          return { id: item.id, name: item.name };
        },
      });
      if (live.progress) live.setProgress({ ...live.progress, phase: 'saving' });
      const item = await intakeBytes(this.ctx, machine, outcome.body, {
        incidentId: run.incidentId,
        name: outcome.evidenceName,
        sourceKind: outcome.sourceKind,
        description: `${run.kind} of ${run.target ?? ''}: ${outcome.summary} (${run.id})`,
        linkedSteps: [...(linkedSteps ?? []), ...(selfFiling(run.kind) ? artifactsFilledBy(this.ctx.db, run.incidentId, run.kind) : [])],
      });
      this.ctx.change(
        machine,
        (finished) =>
          finished && {
            scope: run.incidentId,
            action: completedAction[run.kind],
            subject: run.id,
            payload: { verdict: outcome.verdict, summary: outcome.summary, evidenceId: item.id, sha256: item.sha256, ...outcome.record },
          },
        () =>
          this.repo.finish(run.id, {
            status: 'done',
            finishedAt: this.ctx.now().toISOString(),
            engine: outcome.engine,
            verdict: outcome.verdict,
            summary: outcome.summary,
            result: outcome.body,
            resultSha256: item.sha256,
            evidenceId: item.id,
            progress: live.progress ? { ...live.progress, phase: 'finished' } : null,
          }),
      );
    } catch (e) {
      const cancelled = live.controller.signal.aborted || (e instanceof FirebreakError && e.code === 'cancelled');
      const message = redactSecrets(e instanceof Error ? e.message : String(e), secrets);
      try {
        this.ctx.change(
          cancelled ? (live.cancelledBy ?? machine) : machine,
          (finished) =>
            finished && {
              scope: run.incidentId,
              action: cancelled ? 'validation.cancelled' : 'validation.failed',
              subject: run.id,
              payload: cancelled ? {} : { error: message },
            },
          () =>
            this.repo.finish(run.id, {
              status: cancelled ? 'cancelled' : 'failed',
              finishedAt: this.ctx.now().toISOString(),
              error: cancelled ? 'cancelled' : message,
              progress: live.progress,
            }),
        );
      } catch (recordError) {
        process.stderr.write(`firebreak: could not record the end of ${run.id}: ${(recordError as Error).message}\n`);
      }
    } finally {
      this.live.remove(run.id);
    }
  }

  private view(run: ValidationRun): ValidationRun {
    const live = this.live.get(run.id);
    if (live) return { ...run, progress: live.progress ?? run.progress };
    return run.status === 'running' ? { ...run, status: 'interrupted' } : run;
  }

  private getRun(runId: string): ValidationRun {
    const run = this.repo.get(runId);
    if (!run) throw notFound(`There is no validation run ${runId}.`);
    return run;
  }

  private requireIncident(id: string): void {
    if (!new IncidentRepository(this.ctx.db).exists(id)) throw notFound(`There is no incident ${id} in ${this.ctx.dataDir}.`);
  }

  /** The stored document, checked against the hash recorded with its evidence item. */
  private storedResult(run: ValidationRun): string {
    const stored = this.repo.result(run.id);
    if (!stored) throw notFound(`${run.id} has no result (${run.status}${run.error ? `: ${run.error}` : ''}).`);
    if (stored.sha256 && sha256(stored.text) !== stored.sha256) {
      throw new FirebreakError('check-failed', `The stored result of ${run.id} no longer matches its evidence hash ${stored.sha256}; verify the evidence of ${run.incidentId}.`);
    }
    return stored.text;
  }

  private manifestOf(run: ValidationRun, text: string): BaselineManifest {
    const name = run.kind === 'import' ? (run.target ?? run.id) : `${run.id}.json`;
    return parseBaselineFile(text, name, () => new Date(run.startedAt));
  }
}
