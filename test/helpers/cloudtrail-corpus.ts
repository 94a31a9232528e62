/**
 * Synthetic CloudTrail corpora for tests and the benchmark: deterministic (seeded), shaped like real exports (an
 * AWSLogs/ tree of gzip files, one per region and 5 minutes, records sorted by time, some repeated across files as
 * CloudTrail does), with a known answer: the generator counts what the analysis must find.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ACCOUNT = '111122223333';
export const AGENT_ROLE = 'ai-agent-prod';
export const AGENT_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${AGENT_ROLE}`;
export const AGENT_SESSION = 'agent-run-42';
export const AGENT_KEY = 'ASIAAGENTKEY0000TEST';
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

export interface CorpusOptions {
  dir: string;
  records: number;
  recordsPerFile?: number;
  seed?: number;
  /** Share of records written a second time in a later file (CloudTrail repeats records). */
  duplicateShare?: number;
  /** Start of the window (ISO). */
  start?: string;
  /** Number of high-risk calls the agent makes (spread through the corpus). */
  agentHighRisk?: number;
  /** gzip level; 6 is what CloudTrail's files look like. */
  level?: number;
}

export interface CorpusManifest {
  files: string[];
  /** Distinct records (by eventID). */
  records: number;
  /** Records written again in another file. */
  duplicates: number;
  /** High-risk calls by rule id, successes and failures. */
  highRisk: Record<string, number>;
  highRiskFailed: number;
  agentCalls: number;
  bytes: number;
  compressedBytes: number;
}

/** A seeded generator of numbers in [0, 1) (mulberry32). */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const hex = (r: Rand, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};
const uuid = (r: Rand) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ip = (r: Rand) => `${Math.floor(r() * 200) + 20}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;

interface Actor {
  userIdentity: Record<string, unknown>;
  userAgent: string;
  sourceIPAddress: string;
}

function assumedRole(role: string, session: string, key: string, roleId: string): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: key,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, accountId: ACCOUNT, userName: role },
      webIdFederationData: {},
      attributes: { creationDate: '2026-03-01T00:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

const ACTORS: Record<string, Actor> = {
  agent: {
    userIdentity: assumedRole(AGENT_ROLE, AGENT_SESSION, AGENT_KEY, 'AROAAGENTROLE0000001'),
    userAgent: 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69 langchain-aws/0.1.0',
    sourceIPAddress: '203.0.113.50',
  },
  terraform: {
    userIdentity: assumedRole('terraform-deployer', 'tf-1710000000', 'ASIATERRAFORM0000001', 'AROATERRAFORM0000001'),
    userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.149.3',
    sourceIPAddress: '198.51.100.7',
  },
  alice: {
    userIdentity: { type: 'IAMUser', principalId: 'AIDAALICE00000000001', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: 'ASIAALICECONSOLE0001', userName: 'alice', sessionContext: { attributes: { creationDate: '2026-03-01T08:00:00Z', mfaAuthenticated: 'true' } } },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
    sourceIPAddress: '192.0.2.10',
  },
  ssm: {
    userIdentity: assumedRole('ec2-instance-role', 'i-0abc1234def567890', 'ASIAINSTANCE00000001', 'AROAINSTANCE00000001'),
    userAgent: 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/',
    sourceIPAddress: '10.0.9.115',
  },
  service: {
    userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' },
    userAgent: 'cloudtrail.amazonaws.com',
    sourceIPAddress: 'cloudtrail.amazonaws.com',
  },
};

interface Call {
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  requestParameters: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  rule?: string;
  errorCode?: string;
}

function background(r: Rand, who: string): Call {
  const n = r();
  if (who === 'ssm') return { eventSource: 'ssm.amazonaws.com', eventName: 'UpdateInstanceInformation', readOnly: false, requestParameters: { instanceId: 'i-0abc1234def567890', agentVersion: '3.3.1611.0', agentStatus: 'Active', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023', computerName: 'ip-10-0-9-115.ec2.internal', agentName: 'amazon-ssm-agent', availabilityZone: 'us-east-1c' } };
  if (who === 'service') return { eventSource: 's3.amazonaws.com', eventName: 'GetBucketAcl', readOnly: true, requestParameters: { bucketName: `aws-cloudtrail-logs-${ACCOUNT}`, Host: `aws-cloudtrail-logs-${ACCOUNT}.s3.us-east-1.amazonaws.com`, acl: '' } };
  if (n < 0.3) return { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true, requestParameters: { instancesSet: {}, filterSet: { items: [{ name: 'tag:env', valueSet: { items: [{ value: 'prod' }] } }] } } };
  if (n < 0.5) return { eventSource: 'rds.amazonaws.com', eventName: 'DescribeDBInstances', readOnly: true, requestParameters: { dBInstanceIdentifier: `db-${Math.floor(r() * 40)}` } };
  if (n < 0.65) return { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', readOnly: true, requestParameters: null };
  if (n < 0.8) return { eventSource: 'dynamodb.amazonaws.com', eventName: 'DescribeTable', readOnly: true, requestParameters: { tableName: `orders-${Math.floor(r() * 20)}` } };
  if (n < 0.9) return { eventSource: 'ec2.amazonaws.com', eventName: 'CreateTags', readOnly: false, requestParameters: { resourcesSet: { items: [{ resourceId: `i-${hex(r, 17)}` }] }, tagSet: { items: [{ key: 'owner', value: who }] } }, responseElements: { _return: true } };
  return { eventSource: 'lambda.amazonaws.com', eventName: 'ListFunctions20150331', readOnly: true, requestParameters: null };
}

/** The agent's destructive calls, each matching one row of the high-risk table. */
const HIGH_RISK_CALLS: Array<(r: Rand) => Call> = [
  (r) => ({ eventSource: 'rds.amazonaws.com', eventName: 'DeleteDBInstance', readOnly: false, rule: 'rds-delete-instance', requestParameters: { dBInstanceIdentifier: `prod-db-${Math.floor(r() * 5)}`, skipFinalSnapshot: true, deleteAutomatedBackups: true } }),
  (r) => ({ eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBInstance', readOnly: false, rule: 'rds-deletion-protection-off', requestParameters: { dBInstanceIdentifier: `prod-db-${Math.floor(r() * 5)}`, deletionProtection: false, applyImmediately: true } }),
  (r) => ({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketVersioning', readOnly: false, rule: 's3-versioning-suspended', requestParameters: { bucketName: `prod-backups-${Math.floor(r() * 3)}`, VersioningConfiguration: { Status: 'Suspended', xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' }, versioning: '' } }),
  (r) => ({ eventSource: 'dynamodb.amazonaws.com', eventName: 'DeleteTable', readOnly: false, rule: 'dynamodb-delete-table', requestParameters: { tableName: `orders-${Math.floor(r() * 20)}` } }),
  () => ({ eventSource: 'sqs.amazonaws.com', eventName: 'PurgeQueue', readOnly: false, rule: 'sqs-purge-queue', requestParameters: { queueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/orders` } }),
];

function record(r: Rand, actor: Actor, call: Call, ms: number, region: string): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    eventVersion: '1.11',
    userIdentity: actor.userIdentity,
    eventTime: iso(ms),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: region,
    sourceIPAddress: actor.sourceIPAddress === '10.0.9.115' ? ip(r) : actor.sourceIPAddress,
    userAgent: actor.userAgent,
  };
  if (call.errorCode) {
    rec.errorCode = call.errorCode;
    rec.errorMessage = `User: ${String(actor.userIdentity.arn)} is not authorized to perform: ${call.eventSource.split('.')[0]}:${call.eventName} because no identity-based policy allows the action`;
  }
  rec.requestParameters = call.requestParameters;
  rec.responseElements = call.errorCode ? null : (call.responseElements ?? null);
  rec.requestID = uuid(r);
  rec.eventID = uuid(r);
  rec.readOnly = call.readOnly;
  rec.eventType = 'AwsApiCall';
  rec.managementEvent = true;
  rec.recipientAccountId = ACCOUNT;
  rec.eventCategory = 'Management';
  rec.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${call.eventSource.split('.')[0]}.${region}.amazonaws.com` };
  return rec;
}

/** Writes the corpus and returns what the analysis must find. */
export function generateCorpus(o: CorpusOptions): CorpusManifest {
  const r = prng(o.seed ?? 42);
  const perFile = o.recordsPerFile ?? 5000;
  const dupShare = o.duplicateShare ?? 0.002;
  const highRiskTotal = o.agentHighRisk ?? Math.max(5, Math.floor(o.records / 2000));
  const start = Date.parse(o.start ?? '2026-03-10T00:00:00Z');
  const manifest: CorpusManifest = { files: [], records: 0, duplicates: 0, highRisk: {}, highRiskFailed: 0, agentCalls: 0, bytes: 0, compressedBytes: 0 };
  const fileCount = Math.max(1, Math.ceil(o.records / perFile));
  const highRiskEvery = Math.max(1, Math.floor(o.records / highRiskTotal));
  let carried: string[] = [];
  let produced = 0;
  let highRiskMade = 0;
  for (let f = 0; f < fileCount; f++) {
    const region = REGIONS[f % REGIONS.length] as string;
    const fileStart = start + Math.floor(f / REGIONS.length) * 300_000;
    const count = Math.min(perFile, o.records - produced);
    const parts: string[] = carried;
    manifest.duplicates += carried.length;
    carried = [];
    let ms = fileStart;
    for (let i = 0; i < count; i++) {
      const n = produced + i;
      const roll = r();
      // The agent works in machine-speed bursts; people and services at their own pace.
      const who = roll < 0.3 ? 'agent' : roll < 0.45 ? 'terraform' : roll < 0.55 ? 'alice' : roll < 0.8 ? 'ssm' : 'service';
      let call = background(r, who);
      if (who === 'agent') manifest.agentCalls++;
      if (n % highRiskEvery === highRiskEvery - 1 && highRiskMade < highRiskTotal) {
        const make = HIGH_RISK_CALLS[highRiskMade % HIGH_RISK_CALLS.length] as (r: Rand) => Call;
        call = make(r);
        if (highRiskMade % 4 === 3) call.errorCode = 'AccessDenied';
        highRiskMade++;
        if (who !== 'agent') manifest.agentCalls++;
        const rule = call.rule as string;
        manifest.highRisk[rule] = (manifest.highRisk[rule] ?? 0) + 1;
        if (call.errorCode) manifest.highRiskFailed++;
        parts.push(JSON.stringify(record(r, ACTORS.agent as Actor, call, ms, region)));
      } else {
        parts.push(JSON.stringify(record(r, ACTORS[who] as Actor, call, ms, region)));
      }
      ms += Math.floor((300_000 / perFile) * (0.5 + r()));
      if (r() < dupShare && f + 1 < fileCount) carried.push(parts[parts.length - 1] as string);
    }
    produced += count;
    manifest.records += count;
    const t = new Date(fileStart);
    const ymd = t.toISOString().slice(0, 10).replace(/-/g, '/');
    const stamp = t.toISOString().slice(0, 16).replace(/[-:]/g, '');
    const dir = join(o.dir, 'AWSLogs', ACCOUNT, 'CloudTrail', region, ymd);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${ACCOUNT}_CloudTrail_${region}_${stamp}Z_${hex(r, 16)}.json.gz`);
    const text = `{"Records":[${parts.join(',')}]}`;
    const gz = gzipSync(text, { level: o.level ?? 6 });
    writeFileSync(path, gz);
    manifest.bytes += Buffer.byteLength(text);
    manifest.compressedBytes += gz.length;
    manifest.files.push(path);
  }
  return manifest;
}

export const SECOND_SESSION = 'agent-run-43';
export const SECOND_KEY = 'ASIAAGENTKEY0000TST2';

/**
 * A small incident as LookupEvents would return it, ending `hoursAgo` before `now`: the agent's session reads at machine
 * speed, then destroys (some attempts denied) across two regions; a second session of the same role terminates
 * instances; a person works in the console; Terraform deploys.
 */
export function agentStory(now: Date, hoursAgo = 48): Array<Record<string, unknown>> {
  const r = prng(99);
  const out: Array<Record<string, unknown>> = [];
  const t0 = now.getTime() - hoursAgo * 3_600_000;
  const second: Actor = { ...(ACTORS.agent as Actor), userIdentity: assumedRole(AGENT_ROLE, SECOND_SESSION, SECOND_KEY, 'AROAAGENTROLE0000001') };
  const push = (actor: Actor, call: Call, ms: number, region: string) => out.push(record(r, actor, call, ms, region));
  // Discovery at machine speed: 4 calls a second for 30 seconds.
  for (let i = 0; i < 120; i++) push(ACTORS.agent as Actor, background(r, 'agent'), t0 + i * 250, i % 3 === 0 ? 'us-west-2' : 'us-east-1');
  const destroy: Array<[(r: Rand) => Call, string, string | undefined]> = [
    [HIGH_RISK_CALLS[1] as (r: Rand) => Call, 'us-east-1', undefined],
    [HIGH_RISK_CALLS[0] as (r: Rand) => Call, 'us-east-1', undefined],
    [HIGH_RISK_CALLS[2] as (r: Rand) => Call, 'us-east-1', undefined],
    [HIGH_RISK_CALLS[3] as (r: Rand) => Call, 'us-west-2', 'AccessDenied'],
    [HIGH_RISK_CALLS[4] as (r: Rand) => Call, 'us-west-2', undefined],
  ];
  destroy.forEach(([make, region, errorCode], i) => push(ACTORS.agent as Actor, { ...make(r), ...(errorCode ? { errorCode } : {}) }, t0 + 31_000 + i * 400, region));
  for (let i = 0; i < 6; i++) push(second, background(r, 'agent'), t0 + 60_000 + i * 300, 'us-east-1');
  push(second, { eventSource: 'ec2.amazonaws.com', eventName: 'TerminateInstances', readOnly: false, requestParameters: { instancesSet: { items: [{ instanceId: 'i-0123456789abcdef0' }] } } }, t0 + 62_500, 'us-east-1');
  for (let i = 0; i < 12; i++) push(ACTORS.alice as Actor, background(r, 'alice'), t0 - 3_600_000 + i * 240_000, 'us-east-1');
  for (let i = 0; i < 30; i++) push(ACTORS.terraform as Actor, background(r, 'terraform'), t0 - 7_200_000 + i * 700, i % 2 ? 'us-east-1' : 'us-west-2');
  return out;
}
