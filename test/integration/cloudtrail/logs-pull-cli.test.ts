import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogsPullResult } from '../../../electron/shared/cloudlogs';
import { runFirebreak } from '../../helpers/cli';
import { repoRoot } from '../../helpers/core';
import { type GcpTestServer, externalAccountCredentials, startGcpLoggingServer } from '../../helpers/gcp-logging-server';
import { tempDir } from '../../helpers/temp';

const PLASO = resolve(repoRoot, '..', 'shared', 'reference', 'gcp-audit', 'plaso', 'gcp_logging.jsonl');
const entries = readFileSync(PLASO, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const TOKEN = 'ya29.cli-test-token';
const dir = tempDir('firebreak-logs-pull-cli-');
const env = { FIREBREAK_DATA_DIR: join(dir.path, 'data'), FIREBREAK_CLOUDTRAIL_RPS: '500', FIREBREAK_CLOUDTRAIL_BACKOFF_MS: '10' };
let server: GcpTestServer;
let incident = '';

beforeAll(async () => {
  server = await startGcpLoggingServer({ entries, token: TOKEN, pageSize: 4 });
  const created = await runFirebreak(['incident', 'new', '--playbook', 'agent-destructive-action'], env);
  expect(created.code).toBe(0);
  incident = created.stdout.trim();
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

describe('firebreak logs pull', () => {
  it('pulls a GCP project with application default credentials and prints the --json result; the pages are evidence', async () => {
    const run = await runFirebreak(
      ['logs', 'pull', incident, '--cloud', 'gcp', '--project', 'fake-project', '--start', '2021-10-01T00:00:00Z', '--end', '2021-11-01T00:00:00Z', '--endpoint', server.url, '--json'],
      { ...env, GOOGLE_APPLICATION_CREDENTIALS: externalAccountCredentials(dir.path, server.url) },
    );
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as LogsPullResult;
    for (const key of ['collection', 'cloud', 'scope', 'filter', 'pages', 'records', 'findings', 'newFindings', 'byCloud', 'resumed']) expect(r).toHaveProperty(key);
    // Seven audit entries in the window on pages of four; the application log's two lines are not asked for.
    expect([r.cloud, r.scope, r.pages, r.records, r.collection.status]).toEqual(['gcp', 'fake-project', 2, 7, 'done']);
    expect(run.stderr).toMatch(/fake-project entries\.list page 1: 4 records, \d+ new calls? so far\n.*page 2: 3 records/);
    expect(server.requests.some((q) => q.response.includes('access_token'))).toBe(true);
    const evidence = await runFirebreak(['evidence', 'verify', incident, '--json'], env);
    expect(evidence.code).toBe(0);
    expect((JSON.parse(evidence.stdout) as { items: Array<{ name: string; status: string }> }).items.filter((i) => i.name.startsWith('gcp-audit-log_') && i.status === 'intact')).toHaveLength(2);

    const human = await runFirebreak(['logs', 'pull', incident, '--cloud', 'gcp', '--project', 'fake-project', '--start', '2021-10-01T00:00:00Z', '--end', '2021-11-01T00:00:00Z', '--endpoint', server.url], {
      ...env,
      GOOGLE_APPLICATION_CREDENTIALS: externalAccountCredentials(dir.path, server.url),
    });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Pull CTC-\d+: done; GCP project fake-project, 2021-10-01T00:00:00.000Z to 2021-11-01T00:00:00.000Z\n {2}filter: logName:"cloudaudit.googleapis.com" AND /);
    expect(human.stdout).toMatch(/2 pages kept as evidence, 7 records, 0 new calls, \d+ already known/);
  });

  it('exits 2 with the reason for bad usage and for missing credentials', async () => {
    const aws = await runFirebreak(['logs', 'pull', incident, '--cloud', 'aws'], env);
    expect([aws.code, aws.stderr]).toEqual([2, expect.stringContaining('--cloud is azure or gcp, not "aws"')]);
    const noSubscription = await runFirebreak(['logs', 'pull', incident, '--cloud', 'azure'], env);
    expect([noSubscription.code, noSubscription.stderr]).toEqual([2, expect.stringContaining('Say which subscription to pull: --subscription ID')]);
    const crossed = await runFirebreak(['logs', 'pull', incident, '--cloud', 'gcp', '--subscription', '00000000-0000-0000-0000-000000000000'], env);
    expect([crossed.code, crossed.stderr]).toEqual([2, expect.stringContaining('--subscription is for --cloud azure')]);
    const noCredentials = await runFirebreak(['logs', 'pull', incident, '--cloud', 'gcp', '--project', 'fake-project', '--endpoint', server.url], {
      ...env,
      GOOGLE_APPLICATION_CREDENTIALS: join(dir.path, 'no-such-credentials.json'),
    });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toMatch(/No Google Cloud credentials for entries\.list project fake-project: .*gcloud auth application-default login/);
    // DefaultAzureCredential finds nothing on this machine (no environment credentials, no az, no managed identity).
    const azure = await runFirebreak(['logs', 'pull', incident, '--cloud', 'azure', '--subscription', '00000000-0000-0000-0000-000000000000', '--endpoint', 'https://127.0.0.1:1'], {
      ...env,
      AZURE_CLIENT_ID: '',
      AZURE_TENANT_ID: '',
      AZURE_CLIENT_SECRET: '',
      AZURE_FEDERATED_TOKEN_FILE: '',
    });
    expect(azure.code).toBe(2);
    expect(azure.stderr).toMatch(/^firebreak: No Azure credentials for ActivityLogs\.list subscription 0{8}-0{4}-0{4}-0{4}-0{12}: .*/);
    expect(azure.stderr).toMatch(/Sign in with 'az login', or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET/);
  }, 60_000);
});
