import { spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleIndex, reviewerChecks } from '../../../electron/core/reports/bundle/layout';
import { verifyBundle } from '../../../electron/core/reports/bundle/verify-bundle';
import { writeBundle } from '../../../electron/core/reports/bundle/write-bundle';
import type { PhaseCloseResult } from '../../../electron/shared/checkpoints';
import type { BundleResult } from '../../../electron/shared/reports';
import { startLocalTsa } from '../../helpers/local-tsa';
import { rechainBundleLedger } from '../../helpers/rechain';
import { tempDir } from '../../helpers/temp';
import { type ReportsCore, backAttestations, newIncident, recordCompare, reportsCore } from '../../unit/reports/support';
import { extract, forgeBundle, forgerKey, zipEntries } from './zip-tools';

/**
 * A bundle pinned from outside: a checkpoint signed by the operator at a phase close and time-stamped by a local
 * openssl TSA, and a sign-off whose request pins the ledger. Re-chained consistently, the ledger fails verify, naming them.
 */
describe('case bundle checkpoints and pins', () => {
  let dir: ReturnType<typeof tempDir>;
  let tsa: Awaited<ReturnType<typeof startLocalTsa>>;
  let rc: ReportsCore;
  let id: string;
  let bundle: BundleResult;
  let index: BundleIndex;

  beforeAll(async () => {
    dir = tempDir('firebreak-pins-');
    tsa = await startLocalTsa(dir.path);
    const now = new Date('2026-05-12T14:00:00Z');
    rc = reportsCore(join(dir.path, 'data'), { now: () => now });
    id = await newIncident(rc.core);
    await rc.mine('keys.init', { name: 'Dana Reyes', role: 'IR lead' });
    await rc.core.call('settings.set', { key: 'tsa-url', value: tsa.url });
    await rc.core.call('settings.set', { key: 'tsa-ca', value: readFileSync(tsa.caPath, 'utf8') });
    const r = await rc.core.call('workflow.closePhase', { id, phaseId: 'containment', override: 'contained by hand' });
    expect(r.ok && (r.value as PhaseCloseResult).checkpoint?.checkpoint.timeStamp).toBeTruthy();
    await backAttestations(rc, id);
    recordCompare(rc.core, id, 'match', '2026-05-11T10:00:00Z');
    await rc.sign({ id, role: 'CISO', name: 'Morgan Lee' });
    const ctx = rc.core.context;
    bundle = await writeBundle(ctx, { keys: rc.keys }, ctx.human(), id, { out: join(dir.path, 'case.zip'), version: 'test' });
    const files = new Map((await zipEntries(bundle.path)).map(([n, b]) => [n.slice(n.indexOf('/') + 1), b]));
    index = JSON.parse((files.get('bundle.json') as Buffer).toString('utf8')) as BundleIndex;
  }, 120_000);
  afterAll(async () => {
    rc.close();
    await tsa.close();
    dir.cleanup();
  });

  it('carries the checkpoint, its signature, its token and the TSA CA, and verifies them', async () => {
    const [cp] = index.checkpoints ?? [];
    expect(cp).toMatchObject({ id: 'CP-000001', body: 'checkpoints/CP-000001.txt', signature: 'checkpoints/CP-000001.txt.sig', token: 'checkpoints/CP-000001.txt.tsr' });
    expect(index.tsaCa).toBe('checkpoints/tsa-ca.pem');
    const v = await verifyBundle(bundle.path);
    expect(v.problems).toEqual([]);
    expect(v.checks.find((c) => c.name === 'checkpoint')?.detail).toMatch(/^1 checkpoint pins entries of this ledger: 1 signed, 1 time-stamped/);
  });

  it("VERIFY.txt's ssh-keygen -Y verify and openssl ts -verify commands pass on the bundle's files, exactly as written", async () => {
    const out = join(dir.path, 'reviewer');
    await extract(bundle.path, out);
    const root = join(out, `${id}-case-bundle`);
    const verifyTxt = readFileSync(join(root, 'VERIFY.txt'), 'utf8');
    const checks = reviewerChecks(index).filter((c) => c.command.includes('firebreak-checkpoint') || c.command.startsWith('openssl ts') || c.title.startsWith('CP-000001'));
    expect(checks.map((c) => c.command.split(' ').slice(0, 2).join(' '))).toEqual(['ssh-keygen -Y', 'sed -n', 'openssl ts']);
    for (const c of checks) {
      expect(verifyTxt).toContain(c.command);
      const r = spawnSync('sh', ['-c', c.command], { cwd: root, encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`, c.command).toContain(c.expect);
      expect(r.status, c.command).toBe(0);
    }
  });

  it('fails a ledger re-chained consistently (heads, SHA256SUMS and its signature redone), naming the checkpoint and the sign-off that pin it', async () => {
    const forged = join(dir.path, 'rechained.zip');
    await forgeBundle(bundle.path, forged, (files) => void rechainBundleLedger(files, 2, (e) => ({ ...e, actor: 'Mallory' })), { signWith: forgerKey() });
    const v = await verifyBundle(forged);
    expect(v.ok).toBe(false);
    // The chain itself is intact: only the signatures that pinned it show the rewrite.
    expect(v.checks.find((c) => c.name === 'ledger')?.ok).toBe(true);
    expect(v.problems).toContainEqual(expect.stringMatching(/^checkpoints\/CP-000001\.txt: the ledger entry \d+ it pinned is not in the bundle's ledger .*\(the history before checkpoint CP-000001 \(signed by Dana Reyes\) was rewritten\)/));
    expect(v.problems).toContainEqual(expect.stringMatching(/the history before Morgan Lee's signature was rewritten/));
  });

  it('fails a bundle whose VERIFY.txt changed inside the zip, by its CRC-32 and its hash', async () => {
    // The same entries, VERIFY.txt stored uncompressed; then one byte of its data flipped in place (its CRC left as it was).
    const stored = join(dir.path, 'stored.zip');
    const zip = new ZipFile();
    for (const [name, b] of await zipEntries(bundle.path)) zip.addBuffer(b, name, { compress: !name.endsWith('/VERIFY.txt') });
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(stored));
    expect((await verifyBundle(stored)).problems).toEqual([]);
    const raw = readFileSync(stored);
    const at = raw.indexOf(Buffer.from('HOW TO CHECK THIS BUNDLE'));
    expect(at, 'VERIFY.txt is stored uncompressed in the rewritten zip').toBeGreaterThan(0);
    raw[at] = 'h'.charCodeAt(0);
    const flipped = join(dir.path, 'flipped.zip');
    writeFileSync(flipped, raw);
    const v = await verifyBundle(flipped);
    expect(v.ok).toBe(false);
    expect(v.problems).toContain('VERIFY.txt: its bytes do not match the CRC-32 the zip records for it (the zip was altered or damaged)');
    expect(v.problems).toContainEqual(expect.stringMatching(/^VERIFY\.txt: changed after the bundle was made/));
  });
});
