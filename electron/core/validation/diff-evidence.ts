import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedRowDiff, RowDiffResult } from '../../shared/row-diff';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { intakeBytes, intakeFile } from '../evidence/intake';
import { IncidentRepository } from '../incidents/repository';

/**
 * Keeps a diff as evidence of an incident: each table's key list (written to a private temporary folder first, then
 * taken in, hashed and stored), and the result as JSON naming the key lists by evidence id instead of a temporary path.
 */
export async function recordDiffEvidence(
  ctx: CoreContext,
  incidentId: string,
  run: (keysDir: string) => Promise<RowDiffResult>,
): Promise<RecordedRowDiff> {
  if (!new IncidentRepository(ctx.db).exists(incidentId)) throw notFound(`There is no incident ${incidentId} in ${ctx.dataDir}.`);
  const actor = ctx.human();
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-diff-'));
  try {
    const result = await run(dir);
    const evidence: RecordedRowDiff['evidence'] = [];
    const stamp = result.comparedAt.replace(/[:.]/g, '-');
    for (const t of result.tables) {
      if (!t.keysFile) continue;
      const name = `db-diff-${stamp}-${t.keysFile.slice(dir.length + 1)}`;
      const item = await intakeFile(ctx, actor, t.keysFile, {
        incidentId,
        name,
        sourceKind: 'file',
        description: `Keys of ${t.table} that differ between ${result.reference} (reference) and ${result.actual}: ${t.missing} missing, ${t.extra} extra, ${t.changed} changed`,
      });
      evidence.push({ id: item.id, name: item.name, sha256: item.sha256, table: t.table });
      t.keysFile = `${item.id} ${item.name}`;
    }
    const summary = await intakeBytes(ctx, actor, `${JSON.stringify(result, null, 2)}\n`, {
      incidentId,
      name: `db-diff-${stamp}.json`,
      sourceKind: 'file',
      description: `Row-level diff of ${result.reference} (reference) and ${result.actual}: ${result.match ? 'same rows' : 'rows differ'}`,
    });
    evidence.push({ id: summary.id, name: summary.name, sha256: summary.sha256, table: null });
    return { result, evidence };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
