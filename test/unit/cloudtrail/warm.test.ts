import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scanExports } from '../../../electron/core/cloudtrail/analyse/scan';
import { logWorkersFor, prestartReaders, readingAhead, sparesWaiting, workersFor } from '../../../electron/core/cloudtrail/analyse/scan-pool';
import { scanCloudLogs } from '../../../electron/core/cloudtrail/analyse/logs-scan';
import { collectExportFiles } from '../../../electron/core/cloudtrail/import/export-files';
import { warmFor } from '../../../electron/core/warm';
import { AGENT_ROLE_ARN, generateCorpus } from '../../helpers/cloudtrail-corpus';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';
import type { ScanReport } from '../../../electron/shared/cloudtrail';

const dir = tempDir('firebreak-warm-');
const corpus = join(dir.path, 'corpus');
const small = join(dir.path, 'small.json');

beforeAll(() => {
  // Large enough for both scans to want reader threads: over 8 MB on disk (gzip files that store without compressing).
  generateCorpus({ dir: corpus, records: 24_000, recordsPerFile: 6000, seed: 11, level: 0 });
  writeFileSync(small, JSON.stringify({ Records: [] }));
});
afterAll(() => dir.cleanup());
afterEach(() => vi.useRealTimers());

describe('the warm-up door', () => {
  it('starts the reader threads a logs scan will want, and the scan takes them', async () => {
    const { files } = await collectExportFiles([corpus]);
    const wanted = logWorkersFor(files);
    expect(wanted).toBeGreaterThan(0);
    await warmFor('logs.scan', { paths: [corpus], agents: [AGENT_ROLE_ARN] });
    expect(sparesWaiting('logs-worker')).toBe(wanted);
    let threads = -1;
    const warmed = await scanCloudLogs([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN], onReaders: (n) => (threads = n) });
    expect(threads).toBe(wanted);
    expect(sparesWaiting('logs-worker')).toBe(0);
    // The threads set up by message read exactly what one thread reads.
    const one = await scanCloudLogs([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN], workers: 0 });
    expect(warmed.records).toBe(24_000);
    expect(JSON.stringify(warmed)).toBe(JSON.stringify(one));
  });

  it('starts the reader threads a cloudtrail scan will want, and the scan takes them', async () => {
    const { files } = await collectExportFiles([corpus]);
    const wanted = workersFor(files);
    expect(wanted).toBeGreaterThan(0);
    await warmFor('cloudtrail.scan', { paths: [corpus] });
    expect(sparesWaiting('scan-worker')).toBe(wanted);
    const warmed = await scanExports([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN] });
    expect(sparesWaiting('scan-worker')).toBe(0);
    const one = await scanExports([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN], workers: 0 });
    // Threads finish files in any order, so calls in the same second (reported as such) may list in another order.
    const summary = (r: ScanReport) => ({
      records: r.records,
      duplicates: r.duplicates,
      highRisk: r.highRisk.map((h) => h.eventID).sort(),
      callers: Object.values(r.byPrincipal).map((p) => [p.principalArn, p.calls, p.cadence.verdict]),
    });
    expect(warmed.records).toBe(24_000);
    expect(summary(warmed)).toEqual(summary(one));
  });

  it('with the resources folder, sets the threads up and starts each on the file the scan reads first; the scan takes them reading', async () => {
    const { files } = await collectExportFiles([corpus]);
    const wanted = logWorkersFor(files);
    await warmFor('logs.scan', { paths: [corpus], agents: [AGENT_ROLE_ARN] }, repoRoot);
    expect(readingAhead('logs-worker')).toBe(wanted);
    const warmed = await scanCloudLogs([corpus], { resourcesDir: repoRoot, agents: [` ${AGENT_ROLE_ARN}`] });
    expect(sparesWaiting('logs-worker')).toBe(0);
    const one = await scanCloudLogs([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN], workers: 0 });
    expect(warmed.records).toBe(24_000);
    expect(JSON.stringify(warmed)).toBe(JSON.stringify(one));

    await warmFor('cloudtrail.scan', { paths: [corpus], agents: [AGENT_ROLE_ARN] }, repoRoot);
    expect(readingAhead('scan-worker')).toBe(workersFor(files));
    const scanned = await scanExports([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN] });
    expect(sparesWaiting('scan-worker')).toBe(0);
    const alone = await scanExports([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN], workers: 0 });
    expect(scanned.records).toBe(24_000);
    expect({ records: scanned.records, duplicates: scanned.duplicates, agents: scanned.agents.map((a) => a.calls) }).toEqual({
      records: alone.records,
      duplicates: alone.duplicates,
      agents: alone.agents.map((a) => a.calls),
    });
  });

  it('ends threads set up for another call or started on a file the scan no longer reads first, and the scan reads as always', async () => {
    // Another agent than the scan's: set up with other data.
    await warmFor('logs.scan', { paths: [corpus], agents: ['arn:aws:iam::111122223333:role/someone-else'] }, repoRoot);
    expect(readingAhead('logs-worker')).toBeGreaterThan(0);
    const other = await scanCloudLogs([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN] });
    expect(sparesWaiting('logs-worker')).toBe(0);
    const one = await scanCloudLogs([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN], workers: 0 });
    expect(JSON.stringify(other)).toBe(JSON.stringify(one));

    // A file that lists first arrives between the warm-up and the scan.
    const first = readdirSync(corpus, { recursive: true, withFileTypes: true }).find((e) => e.isFile());
    if (!first) throw new Error('the corpus has no file');
    await warmFor('logs.scan', { paths: [corpus], agents: [AGENT_ROLE_ARN] }, repoRoot);
    expect(readingAhead('logs-worker')).toBeGreaterThan(0);
    const late = join(corpus, '000-late.json');
    copyFileSync(join(first.parentPath, first.name), late);
    try {
      const after = await scanCloudLogs([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN] });
      expect(sparesWaiting('logs-worker')).toBe(0);
      const alone = await scanCloudLogs([corpus], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN], workers: 0 });
      expect(after.duplicates).toBe(alone.duplicates);
      expect(JSON.stringify(after)).toBe(JSON.stringify(alone));
    } finally {
      rmSync(late);
    }
  });

  it('never fails and starts nothing for small inputs, bad input or other methods', async () => {
    await expect(warmFor('logs.scan', { paths: [join(dir.path, 'no-such-folder')] })).resolves.toBeUndefined();
    await warmFor('logs.scan', { paths: [small] });
    await warmFor('logs.scan', { paths: 'not a list' });
    await warmFor('logs.scan', null);
    await warmFor('incidents.list', { paths: [corpus] });
    expect(sparesWaiting('logs-worker')).toBe(0);
    expect(sparesWaiting('scan-worker')).toBe(0);
  });

  it('ends spare threads that no call takes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    prestartReaders('logs-worker', 2);
    expect(sparesWaiting('logs-worker')).toBe(2);
    await vi.advanceTimersByTimeAsync(19_000);
    expect(sparesWaiting('logs-worker')).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sparesWaiting('logs-worker')).toBe(0);
  });
});
