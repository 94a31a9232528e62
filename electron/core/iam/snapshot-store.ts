/**
 * The incident's IAM snapshot: files become evidence (hashed as copied into the locker) in the order given, and the
 * snapshot is always rebuilt from the locker's copies, so what is analysed is exactly what is kept.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IamImportResult, IamSource } from '../../shared/iam';
import type { CoreContext } from '../context';
import { FirebreakError, badInput, notFound } from '../errors';
import { intakeBytes } from '../evidence/intake';
import { objectPath } from '../evidence/store';
import { IncidentRepository } from '../incidents/repository';
import type { Actor } from '../ledger/ledger';
import { type ReadSource, readSource } from './sources/read';
import { type IamSnapshot, emptySnapshot } from './sources/snapshot';
import { IamSourcesRepository } from './store/sources-repository';

export interface SourceFile {
  /** Shown in messages and kept as the evidence item's name. */
  name: string;
  text: string;
  /** For pieces that do not name their owner: the identity (role/user name or ARN) or the policy ARN. */
  binding: string | null;
}

export function requireIncident(ctx: CoreContext, incidentId: string): void {
  if (!new IncidentRepository(ctx.db).get(incidentId)) throw notFound(`There is no incident ${incidentId} in ${ctx.dataDir}.`);
}

/** Reads every piece and applies it in order; any error names the file and stops before anything is recorded. */
export function buildSnapshot(pieces: ReadonlyArray<{ read: ReadSource; binding: string | null }>, into: IamSnapshot = emptySnapshot()): IamSnapshot {
  for (const p of pieces) p.read.apply(into, p.binding);
  return into;
}

export async function incidentSnapshot(ctx: CoreContext, incidentId: string): Promise<{ snapshot: IamSnapshot; sources: IamSource[] }> {
  const stored = new IamSourcesRepository(ctx.db).list(incidentId);
  const pieces = [];
  for (const s of stored) {
    const text = await readFile(objectPath(ctx.dataDir, s.sha256), 'utf8').catch((e: unknown) => {
      throw new FirebreakError('conflict', `The IAM evidence ${s.evidenceId} (${s.name}) cannot be read from the locker: ${(e as Error).message}. Run evidence verify.`);
    });
    pieces.push({ read: readSource(text, `${s.evidenceId} (${s.name})`), binding: s.binding });
  }
  return { snapshot: buildSnapshot(pieces), sources: stored.map(({ seq: _seq, binding: _binding, ...s }) => s) };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Records files as the incident's IAM snapshot; `origin` says whether the responder brought them or Firebreak fetched them. */
export async function recordSources(ctx: CoreContext, actor: Actor, incidentId: string, files: readonly SourceFile[], origin: IamSource['origin']): Promise<IamImportResult> {
  requireIncident(ctx, incidentId);
  if (files.length === 0) throw badInput('Give at least one IAM file.');
  const { snapshot } = await incidentSnapshot(ctx, incidentId);
  const pieces = files.map((f) => ({ file: f, read: readSource(f.text, f.name), binding: f.binding }));
  buildSnapshot(pieces, snapshot);
  const repo = new IamSourcesRepository(ctx.db);
  for (const p of pieces) {
    const item = await intakeBytes(ctx, actor, p.file.text, { incidentId, name: p.file.name, sourceKind: 'file', description: `IAM ${origin}: ${p.read.kind} (${p.read.summary})` });
    if (item.sha256 !== sha256(p.file.text)) throw new FirebreakError('conflict', `${p.file.name} changed while it was being taken as evidence; take it again.`);
    ctx.change(
      actor,
      (seq) => ({
        scope: incidentId,
        action: 'iam.source-recorded',
        subject: item.id,
        payload: { seq, evidence: item.id, sha256: item.sha256, kind: p.read.kind, origin, binding: p.binding, summary: p.read.summary },
      }),
      () => repo.add(incidentId, { evidenceId: item.id, kind: p.read.kind, origin, binding: p.binding, summary: p.read.summary, recordedAt: ctx.now().toISOString() }),
    );
  }
  const after = await incidentSnapshot(ctx, incidentId);
  return { incidentId, sources: after.sources, identities: [...after.snapshot.identities.keys()].sort() };
}
