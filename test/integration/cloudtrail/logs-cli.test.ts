import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudScanReport, LogsImportResult } from '../../../electron/shared/cloudlogs';
import { runFirebreak } from '../../helpers/cli';
import { GCP_AGENT, gcpEntries, gcpSinkPath, writeJsonLines } from '../../helpers/cloud-logs-corpus';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const REF = resolve(repoRoot, '..', 'shared', 'reference');
const dir = tempDir('firebreak-logs-cli-');
afterAll(() => dir.cleanup());
const env = { FIREBREAK_DATA_DIR: join(dir.path, 'data') };

describe('firebreak logs scan', () => {
  it('prints the --json contract over all three clouds, the source detected per file', async () => {
    const gcp = join(dir.path, 'gcp');
    writeJsonLines(gcpSinkPath(gcp, Date.parse('2026-03-10T09:00:00Z')), gcpEntries({ ms: Date.parse('2026-03-10T09:00:01Z'), method: 'google.logging.v2.ConfigServiceV2.DeleteSink', service: 'logging.googleapis.com', principal: GCP_AGENT, insertId: 'sink-1' }));
    const run = await runFirebreak(['logs', 'scan', join(REF, 'azure-activity', 'plaso'), join(REF, 'cloudtrail', 'samples', 'stratus-red-team'), gcp, '--agent', GCP_AGENT, '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as CloudScanReport;
    for (const key of ['records', 'duplicates', 'files', 'failedFiles', 'byCloud', 'highRisk', 'byPrincipal']) expect(r).toHaveProperty(key);
    expect(Object.keys(r.byCloud).sort()).toEqual(['aws', 'azure', 'gcp']);
    expect(r.byCloud.gcp).toBe(1);
    expect(r.byCloud.azure).toBe(4);
    expect(r.byCloud.aws).toBeGreaterThan(100);
    const sink = r.highRisk.find((h) => h.cloud === 'gcp');
    expect(sink).toEqual(
      expect.objectContaining({ cloud: 'gcp', eventID: 'sink-1', service: 'logging.googleapis.com', operation: 'google.logging.v2.ConfigServiceV2.DeleteSink', principal: GCP_AGENT, agent: true, errorCode: null, attack: ['T1562.008'] }),
    );
    expect(typeof sink?.eventTime).toBe('string');
    for (const p of Object.values(r.byPrincipal)) expect(Object.keys(p)).toEqual(expect.arrayContaining(['cloud', 'calls', 'cadence', 'automation']));
  });

  it('exits 2 naming a file it could not read, and still analyses the others', async () => {
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, '{"neither": "cloud"}\n');
    const run = await runFirebreak(['logs', 'scan', bad, join(REF, 'gcp-audit', 'plaso'), '--json'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${bad}: 1 record skipped: record 1 is neither an Azure Activity Log record nor a GCP audit LogEntry`);
    const r = JSON.parse(run.stdout) as CloudScanReport;
    expect(r.failedFiles).toEqual([{ path: bad, reason: expect.stringContaining('neither') }]);
    expect(r.byCloud.gcp).toBeGreaterThan(0);
  });
});

describe('firebreak logs import', () => {
  it('imports Azure, GCP and CloudTrail files into an incident and prints each file with its cloud', async () => {
    const created = await runFirebreak(['incident', 'new', '--playbook', 'agent-destructive-action', '--param', `gcp_agent_service_account=${GCP_AGENT}`], env);
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    const gcp = join(dir.path, 'gcp-import');
    writeJsonLines(gcpSinkPath(gcp, Date.parse('2026-03-10T10:00:00Z')), gcpEntries({ ms: Date.parse('2026-03-10T10:00:01Z'), method: 'google.logging.v2.ConfigServiceV2.DeleteSink', service: 'logging.googleapis.com', principal: GCP_AGENT, insertId: 'sink-2' }));
    const azure = join(REF, 'azure-activity', 'plaso', 'azure_activity_log.jsonl');
    const ct = join(REF, 'cloudtrail', 'samples', 'stratus-red-team', 'aws.defense-evasion.cloudtrail-stop.json');
    const run = await runFirebreak(['logs', 'import', id, azure, gcp, ct, '--json'], env);
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as LogsImportResult;
    expect(r.byCloud).toEqual({ aws: 1, azure: 4, gcp: 1 });
    expect(Object.fromEntries(r.files.map((f) => [f.path, f.cloud]))).toEqual({ [azure]: 'azure', [ct]: 'aws', [gcpSinkPath(gcp, Date.parse('2026-03-10T10:00:00Z'))]: 'gcp' });
    expect(r.findings.map((f) => f.title)).toEqual(expect.arrayContaining([expect.stringContaining(`DeleteSink by agent ${GCP_AGENT}`)]));
    const text = await runFirebreak(['logs', 'import', id, azure], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('calls in the incident: AWS 1, Azure 4, GCP 1');
    expect(text.stdout).toMatch(/ok +EV-\d+ +4 records +0 new +azure .*azure_activity_log\.jsonl/);
  });
});

