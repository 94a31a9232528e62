// Analysis that scales with identities (issue 23 item 3): `firebreak cloudtrail import` of the same number of events
// made by 2 identities and by 50,000, as whole processes in the same run. The import re-attributes calls to the agent
// identities and analyses every caller; its time must not grow with the number of callers (target: at most 2x).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Bench, BenchRow } from './types';

const root = resolve(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'firebreak.js');
const ACCOUNT = '111122223333';
const AGENT = `arn:aws:iam::${ACCOUNT}:role/ai-agent-prod`;

/** CloudTrail files of `events` calls spread over `identities` IAM users (the agent's role among them). */
function exportsOf(dir: string, events: number, identities: number): void {
  const perFile = 10_000;
  const start = Date.parse('2026-03-10T00:00:00Z');
  for (let f = 0; f * perFile < events; f++) {
    const parts: string[] = [];
    for (let i = f * perFile; i < Math.min(events, (f + 1) * perFile); i++) {
      const who = i % identities;
      const userIdentity =
        who === 0
          ? { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ai-agent-prod/run-1`, principalId: 'AROAAGENT:run-1', accountId: ACCOUNT, sessionContext: { sessionIssuer: { type: 'Role', arn: AGENT, userName: 'ai-agent-prod' } } }
          : { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/user-${who}`, principalId: `AIDA${who}`, accountId: ACCOUNT, userName: `user-${who}` };
      parts.push(
        JSON.stringify({
          eventVersion: '1.11',
          userIdentity,
          eventTime: new Date(start + i * 50).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          eventSource: 'ec2.amazonaws.com',
          eventName: i % 3 ? 'DescribeInstances' : 'CreateTags',
          awsRegion: 'us-east-1',
          sourceIPAddress: '198.51.100.7',
          userAgent: 'aws-cli/2.15.0',
          eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          readOnly: i % 3 !== 0,
        }),
      );
    }
    writeFileSync(join(dir, `${ACCOUNT}_CloudTrail_us-east-1_${String(f).padStart(5, '0')}.json.gz`), gzipSync(`{"Records":[${parts.join(',')}]}`, { level: 1 }));
  }
}

function importSeconds(workDir: string, name: string, events: number, identities: number): number {
  const exportsDir = join(workDir, `${name}-exports`);
  const dataDir = join(workDir, `${name}-data`);
  mkdirSync(exportsDir, { recursive: true });
  exportsOf(exportsDir, events, identities);
  const env = { ...process.env, FIREBREAK_DATA_DIR: dataDir };
  const made = spawnSync(process.execPath, [cli, 'incident', 'new', '--playbook', 'agent-destructive-action', '--param', `agent_role_arn=${AGENT}`], { cwd: root, env, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`incident new failed: ${made.stderr}`);
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, 'cloudtrail', 'import', made.stdout.trim(), exportsDir, '--json'], { cwd: root, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`cloudtrail import exited ${run.status}: ${run.stderr.slice(0, 500)}`);
  return seconds;
}

export const benchCloudtrailIdentities: Bench = async ({ quick, workDir, log }) => {
  const events = quick ? 50_000 : 1_000_000;
  const many = quick ? 2_500 : 50_000;
  const few = importSeconds(workDir, 'few', events, 2);
  log(`import of ${events.toLocaleString('en-US')} events by 2 identities: ${few.toFixed(2)} s`);
  const lots = importSeconds(workDir, 'many', events, many);
  log(`import of ${events.toLocaleString('en-US')} events by ${many.toLocaleString('en-US')} identities: ${lots.toFixed(2)} s`);
  const row: BenchRow = {
    name: `cloudtrail import ${events.toLocaleString('en-US')} events x ${many.toLocaleString('en-US')} identities`,
    input: `${events.toLocaleString('en-US')} events in gzip files, ${many.toLocaleString('en-US')} callers`,
    oursSeconds: lots,
    reference: `the same import with 2 identities`,
    referenceSeconds: few,
    target: '<= 2x',
    note: 'whole processes: read, store, re-attribute, analyse, findings',
  };
  return [row];
};
