import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { firebreakBin, runFirebreak } from '../../helpers/cli';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const RECORDS = 150_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A CloudTrail S3 export of many small records, big enough that its import is still running when it is killed. */
function export_(path: string): void {
  const records = Array.from({ length: RECORDS }, (_, i) => ({
    eventVersion: '1.11',
    eventTime: new Date(Date.UTC(2026, 4, 1, 10, 0, 0) + i * 1000).toISOString().replace('.000', ''),
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/reader-${i % 7}`, userName: `reader-${i % 7}` },
    sourceIPAddress: '198.51.100.7',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: false,
    eventCategory: 'Data',
    recipientAccountId: '111122223333',
  }));
  writeFileSync(path, gzipSync(JSON.stringify({ Records: records })));
}

describe('an import killed mid-way', () => {
  const dir = tempDir('fb-rel-interrupted-');
  afterAll(() => dir.cleanup());
  const dataDir = join(dir.path, 'data');
  const dbFile = join(dataDir, 'firebreak.db');
  const statusOf = (): Array<{ id: string; status: string }> => {
    const db = new Database(dbFile, { readonly: true });
    try {
      return db.prepare('SELECT id, status FROM cloudtrail_collections ORDER BY num').all() as Array<{ id: string; status: string }>;
    } finally {
      db.close();
    }
  };

  it('is marked interrupted, with its ledger entry, at the next start', async () => {
    const id = (await runFirebreak(['--data-dir', dataDir, 'incident', 'new', '--playbook', 'agent-destructive-action'])).stdout.trim();
    const file = join(dir.path, '111122223333_CloudTrail_us-east-1_20260501T1000Z_big.json.gz');
    export_(file);

    const child = spawn(process.execPath, [firebreakBin, '--data-dir', dataDir, 'cloudtrail', 'import', id, file], {
      cwd: repoRoot,
      env: { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' },
      stdio: 'ignore',
    });
    const exited = new Promise((done) => child.once('exit', done));
    // Killed once its collection is recorded as running, as a power cut or `kill -9` would.
    let running = false;
    for (let i = 0; i < 2400 && !running; i++) {
      await sleep(50);
      try {
        running = statusOf().some((c) => c.status === 'running');
      } catch {
        // The database or its table is not there yet.
      }
    }
    child.kill('SIGKILL');
    await exited;
    expect(running).toBe(true);
    expect(statusOf().map((c) => c.status)).toEqual(['running']);

    const next = await runFirebreak(['--data-dir', dataDir, 'incident', 'list']);
    expect(next.code).toBe(0);
    expect(statusOf().map((c) => c.status)).toEqual(['interrupted']);
    const audit = await runFirebreak(['--data-dir', dataDir, 'audit', 'verify', id]);
    expect(audit.code).toBe(0);
    const db = new Database(dbFile, { readonly: true });
    const last = db.prepare("SELECT action, actor, payload FROM ledger_entries WHERE scope = ? ORDER BY seq DESC LIMIT 1").get(id) as { action: string; actor: string; payload: string };
    db.close();
    expect(last.action).toBe('cloudtrail.collection-finished');
    expect(last.actor).toBe('Firebreak start-up check');
    expect(JSON.parse(last.payload)).toMatchObject({ status: 'interrupted' });
  }, 300_000);
});
