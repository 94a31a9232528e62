import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanExports } from '../../../electron/core/cloudtrail/analyse/scan';
import { agentMatcher } from '../../../electron/core/cloudtrail/import/agents';
import { readExportFile } from '../../../electron/core/cloudtrail/import/export-reader';
import { normalize } from '../../../electron/core/cloudtrail/import/normalize';
import { ViewNormalizer } from '../../../electron/core/cloudtrail/import/normalize-view';
import type { ScanReport } from '../../../electron/shared/cloudtrail';
import { AGENT_ROLE_ARN, AGENT_SESSION, type CorpusManifest, generateCorpus } from '../../helpers/cloudtrail-corpus';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const SAMPLES = join(repoRoot, '..', 'shared', 'reference', 'cloudtrail', 'samples');
/** The recorded logs live beside the project (../shared/reference) where present. */
const hasSamples = existsSync(SAMPLES);
const dir = tempDir('firebreak-ct-scan-');
let manifest: CorpusManifest;
const corpus = join(dir.path, 'corpus');

beforeAll(() => {
  manifest = generateCorpus({ dir: corpus, records: 12_000, recordsPerFile: 1000, seed: 7, duplicateShare: 0.01, agentHighRisk: 40 });
});
afterAll(() => dir.cleanup());

const scan = (paths: string[], agents: string[] = [AGENT_ROLE_ARN], workers?: number) =>
  scanExports(paths, { resourcesDir: repoRoot, agents, ...(workers !== undefined ? { workers } : {}) });

const summary = (r: ScanReport) => {
  const byRule: Record<string, number> = {};
  for (const h of r.highRisk) for (const rule of h.rules) byRule[rule.id] = (byRule[rule.id] ?? 0) + 1;
  return { records: r.records, duplicates: r.duplicates, byRule, failed: r.highRiskFailed, agentCalls: r.agents[0]?.calls };
};

describe('cloudtrail scan', () => {
  it('finds exactly what the synthetic corpus holds', async () => {
    const r = await scan([corpus], [AGENT_ROLE_ARN], 0);
    expect(summary(r)).toEqual({
      records: manifest.records,
      duplicates: manifest.duplicates,
      byRule: manifest.highRisk,
      failed: manifest.highRiskFailed,
      agentCalls: manifest.agentCalls,
    });
    expect(r.files).toBe(manifest.files.length);
    expect(r.highRisk.every((h) => h.agent && h.agentIdentity === AGENT_ROLE_ARN)).toBe(true);
    const agent = r.agents[0];
    expect(agent?.cadence.verdict).toBe('machine');
    expect(agent?.firstDestructive.map((f) => f.eventName).sort()).toEqual(['DeleteDBInstance', 'DeleteTable', 'ModifyDBInstance', 'PurgeQueue', 'PutBucketVersioning']);
    expect(agent?.regions.map((x) => x.region).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    expect(agent?.resources.some((x) => x.resource.startsWith('rds:dBInstanceIdentifier=prod-db-') && x.destructive > 0)).toBe(true);
    expect(r.highRisk.filter((h) => h.firstTime)).toHaveLength(5);
    const principal = r.byPrincipal[`arn:aws:sts::111122223333:assumed-role/ai-agent-prod/${AGENT_SESSION}`];
    expect(principal).toMatchObject({ agent: true, highRisk: r.highRisk.length });
    // Terraform is SDK-driven and not declared: flagged as automation. The console user is not.
    expect(r.automation).toContain('arn:aws:sts::111122223333:assumed-role/terraform-deployer/tf-1710000000');
    expect(r.automation).not.toContain('arn:aws:iam::111122223333:user/alice');
    expect(r.byPrincipal['arn:aws:iam::111122223333:user/alice']?.userAgents[0]?.kind).toBe('console');
  });

  it('gives the same answer in worker threads and in one thread', async () => {
    const [one, two] = await Promise.all([scan([corpus], [AGENT_ROLE_ARN, 'alice'], 0), scan([corpus], [AGENT_ROLE_ARN, 'alice'], 2)]);
    const strip = (r: ScanReport) => ({ ...r, fileResults: r.fileResults.map((f) => f.path) });
    expect(strip(two)).toEqual(strip(one));
  });

  it('reports bad files with the reason and still analyses the others', async () => {
    const mixed = join(dir.path, 'mixed');
    mkdirSync(join(mixed, 'CloudTrail-Digest'), { recursive: true });
    const good = manifest.files[0] as string;
    copyFileSync(good, join(mixed, 'good.json.gz'));
    const gz = readFileSync(manifest.files[1] as string);
    writeFileSync(join(mixed, 'truncated.json.gz'), gz.subarray(0, gz.length >> 1));
    writeFileSync(join(mixed, 'notes.json'), 'not json at all');
    writeFileSync(join(mixed, 'other.json'), JSON.stringify({ Items: [] }));
    writeFileSync(join(mixed, 'v9.json.gz'), gzipSync(JSON.stringify({ Records: [{ eventVersion: '9.0', eventTime: '2026-01-01T00:00:00Z', eventName: 'X' }] })));
    writeFileSync(join(mixed, 'README.txt'), 'hello');
    writeFileSync(join(mixed, '111_CloudTrail-Digest_us-east-1_t_us-east-1_20260310T010000Z.json.gz'), gzipSync('{}'));
    const r = await scan([mixed, join(dir.path, 'missing-dir')]);
    const status = Object.fromEntries(r.fileResults.map((f) => [f.path.slice(mixed.length + 1) || f.path, [f.status, f.reason]]));
    expect(status['good.json.gz']).toEqual(['ok', null]);
    expect(status['truncated.json.gz']?.[0]).toBe('partial');
    expect(status['truncated.json.gz']?.[1]).toMatch(/truncated gzip/);
    expect(status['notes.json']).toEqual(['failed', expect.stringMatching(/not JSON/)]);
    expect(status['other.json']).toEqual(['failed', expect.stringMatching(/without a "Records" array/)]);
    expect(status['v9.json.gz']).toEqual(['failed', expect.stringMatching(/unsupported eventVersion 9\.0/)]);
    expect(status['README.txt']?.[0]).toBe('skipped');
    expect(status['CloudTrail-Digest']?.[0]).toBe('skipped');
    expect(r.fileResults.find((f) => f.path.endsWith('missing-dir'))).toMatchObject({ status: 'failed', reason: 'no such file or directory' });
    expect(r.records).toBeGreaterThan(1000);
    expect(r.errors.map((e) => e.status).sort()).toEqual(['failed', 'failed', 'failed', 'failed', 'partial']);
  });

  it.skipIf(!hasSamples)('analyses the real recorded logs', async () => {
    const r = await scan([SAMPLES], ['bert-jan']);
    expect(r.records).toBeGreaterThan(3000);
    const names = new Set(r.highRisk.map((h) => h.eventName));
    for (const n of ['StopLogging', 'DeleteTrail', 'PutEventSelectors', 'DeleteDBInstance', 'DeleteBucket', 'DeleteFlowLogs', 'TerminateInstances']) {
      expect(names, n).toContain(n);
    }
    // The invictus-ir dataset: an IAM user running Stratus Red Team at machine speed.
    expect(r.agents[0]).toMatchObject({ agentIdentity: 'bert-jan' });
    expect(r.agents[0]?.calls).toBeGreaterThan(2000);
    expect(r.agents[0]?.cadence.verdict).toBe('machine');
    expect(r.highRisk.some((h) => h.agent && h.eventName === 'DeleteTrail')).toBe(true);
    expect(r.highRisk.some((h) => h.errorCode !== null)).toBe(true);
    // Duplicates across the Panther files are dropped by eventID.
    expect(r.duplicates).toBeGreaterThan(0);
  });

  it.skipIf(!hasSamples)('reads the same fields from bytes as from the parsed record (every real sample)', async () => {
    const files = [
      join(SAMPLES, 'panther-analysis', 'panther_cloudtrail_all_test_events.json.gz'),
      join(SAMPLES, 'cloud-snitch', '222222222222_CloudTrail_us-east-1_20250306T0230Z_QF6qcgyiaVnSueXa.json.gz'),
      join(SAMPLES, 'stratus-red-team', 'aws.persistence.iam-create-admin-user.json'),
    ];
    const fast = new ViewNormalizer(agentMatcher(['bert-jan']));
    let n = 0;
    for (const f of files) {
      await readExportFile(f, (v) => {
        const record = v.object();
        const a = fast.normalize(v).ev;
        const b = normalize(record);
        if (typeof record.eventID !== 'string') b.eventID = a.eventID;
        expect(a).toEqual(b);
        n++;
      });
    }
    expect(n).toBeGreaterThan(400);
  });
});
