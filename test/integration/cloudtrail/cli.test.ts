import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import type { ScanReport } from '../../../electron/shared/cloudtrail';
import { ACCOUNT, AGENT_ROLE_ARN, type CorpusManifest, agentStory, generateCorpus } from '../../helpers/cloudtrail-corpus';
import { makeKey, writeDigestChain, writePublicKeys } from '../../helpers/cloudtrail-digest-signer';
import { type CloudTrailTestServer, startCloudTrailServer } from '../../helpers/cloudtrail-server';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-ct-cli-');
const exportsDir = join(dir.path, 'exports');
let manifest: CorpusManifest;
let server: CloudTrailTestServer;
const ACCESS_KEY = 'AKIAFBCLIEXAMPLE0001';

/** The CLI in this process, as `main(argv, io, env)`. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await main(['--data-dir', join(dir.path, 'data'), ...args], { out: (t) => (out += t), err: (t) => (err += t) }, { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes', ...env });
  return { code, out, err };
}

beforeAll(async () => {
  manifest = generateCorpus({ dir: exportsDir, records: 3000, recordsPerFile: 500, seed: 11 });
  const key = makeKey();
  writeDigestChain({ root: exportsDir, key, account: ACCOUNT, region: 'us-east-1', groups: [manifest.files.filter((f) => f.includes('/us-east-1/'))] });
  for (const region of ['us-west-2', 'eu-west-1']) {
    writeDigestChain({ root: exportsDir, key, account: ACCOUNT, region, groups: [manifest.files.filter((f) => f.includes(`/${region}/`))] });
  }
  writePublicKeys(join(dir.path, 'keys.json'), [key]);
  server = await startCloudTrailServer({ events: agentStory(new Date()), accessKeys: [ACCESS_KEY], rateLimit: 0 });
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

describe('firebreak cloudtrail (in process)', () => {
  it('scan --json prints the documented shape', async () => {
    const r = await cli(['cloudtrail', 'scan', exportsDir, '--agent', AGENT_ROLE_ARN, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as ScanReport;
    expect(report).toMatchObject({ records: manifest.records, duplicates: manifest.duplicates, files: manifest.files.length });
    expect(report.highRisk.length).toBeGreaterThan(0);
    for (const h of report.highRisk) {
      expect(Object.keys(h)).toEqual(expect.arrayContaining(['eventID', 'eventTime', 'eventSource', 'eventName', 'principalArn', 'agent', 'errorCode', 'attack']));
      expect(typeof h.agent).toBe('boolean');
    }
    expect(Object.keys(report.byPrincipal).length).toBeGreaterThan(3);
  });

  it('scan prints a readable report, and exit 2 naming a file that could not be read', async () => {
    const ok = await cli(['cloudtrail', 'scan', exportsDir, '--agent', 'ai-agent-prod']);
    expect(ok.out).toMatch(/CloudTrail scan: 3,000 records in 6 files/);
    expect(ok.out).toMatch(/High-risk calls that succeeded/);
    expect(ok.out).toMatch(/High-risk calls that failed \(attempts\)/);
    expect(ok.out).toMatch(/Agent identity ai-agent-prod:\n {2}\d[\d,]* calls by 1 principal/);
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, '{"Records": [');
    const r = await cli(['cloudtrail', 'scan', manifest.files[0] as string, bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}: the document ends before the Records array is closed`);
    expect(r.out).toMatch(/CloudTrail scan: 500 records/);
  });

  it('verify-digests: 0 when intact, 1 naming what changed, 2 for a bad keys file', async () => {
    const ok = await cli(['cloudtrail', 'verify-digests', exportsDir, '--public-keys', join(dir.path, 'keys.json'), '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, counts: { valid: manifest.files.length } });
    const extra = join(exportsDir, 'AWSLogs', ACCOUNT, 'CloudTrail', `${ACCOUNT}_CloudTrail_us-east-1_20260311T0000Z_unlisted.json.gz`);
    writeFileSync(extra, '{"Records":[]}');
    const problem = await cli(['cloudtrail', 'verify-digests', exportsDir, '--public-keys', join(dir.path, 'keys.json')]);
    expect(problem.code).toBe(1);
    expect(problem.out).toMatch(/unlisted .*unlisted\.json\.gz/);
    const usage = await cli(['cloudtrail', 'verify-digests', exportsDir, '--public-keys', join(dir.path, 'nope.json')]);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/public keys file .*nope\.json cannot be read/);
  });

  it('imports into an incident and the ledger stays intact', async () => {
    const created = await cli(['incident', 'new', '--playbook', 'agent-destructive-action', '--param', `agent_role_arn=${AGENT_ROLE_ARN}`]);
    const id = created.out.trim();
    const r = await cli(['cloudtrail', 'import', id, ...manifest.files.slice(0, 2), '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as { files: Array<{ evidenceId: string; sha256: string }>; collection: { newRecords: number } };
    expect(result.files.every((f) => /^EV-\d{6}$/.test(f.evidenceId) && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(result.collection.newRecords).toBe(1000);
    expect((await cli(['audit', 'verify', id])).code).toBe(0);
    const missing = await cli(['cloudtrail', 'import', 'IR-2020-9999', exportsDir]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no incident IR-2020-9999/);
  });
});

describe('firebreak cloudtrail (real process)', () => {
  const env = { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true', FIREBREAK_CLOUDTRAIL_RPS: '500', FIREBREAK_CLOUDTRAIL_BACKOFF_MS: '10' };
  const fb = (args: string[], extra: NodeJS.ProcessEnv = {}) => runFirebreak(['--data-dir', join(dir.path, 'proc-data'), ...args], { ...env, ...extra });
  let id = '';

  it('pull exits 0 and keeps pages as evidence; bad credentials exit 2 with the reason', async () => {
    id = (await fb(['incident', 'new', '--playbook', 'agent-destructive-action', '--param', `agent_role_arn=${AGENT_ROLE_ARN}`])).stdout.trim();
    const denied = await fb(['cloudtrail', 'pull', id, '--region', 'us-east-1', '--endpoint', server.url], { AWS_ACCESS_KEY_ID: 'AKIANOTKNOWNEXAMPLE1' });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/AWS refused the credentials.*UnrecognizedClientException/);
    const r = await fb(['cloudtrail', 'pull', id, '--region', 'us-east-1', '--endpoint', server.url, '--json']);
    expect(r.stderr).toMatch(/page 1/);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { resumed: boolean; collection: { status: string; newRecords: number } };
    // The pull stopped by the refused credentials is the one resumed.
    expect(result).toMatchObject({ resumed: true, collection: { status: 'done' } });
    expect(result.collection.newRecords).toBe(90);
  });

  it('monitor exits 1 on an alert; a window older than 90 days is refused with exit 2', async () => {
    const alert = await fb(['cloudtrail', 'monitor', id, '--region', 'us-east-1', '--endpoint', server.url, '--start', new Date(Date.now() - 5 * 86_400_000).toISOString()]);
    expect(alert.code).toBe(1);
    expect(alert.stdout).toMatch(/^ALERT: .*reopen containment/);
    const old = await fb(['cloudtrail', 'pull', id, '--region', 'us-east-1', '--endpoint', server.url, '--start', '2020-01-01T00:00:00Z']);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/only holds the last 90 days/);
  });
});
