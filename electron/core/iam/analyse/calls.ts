/**
 * The calls an identity made, as IAM actions. A CloudTrail event names the API operation; the permission it needed is
 * usually `service:EventName`, with the known exceptions mapped here (S3's batch and head calls, Lambda's versioned
 * names, services whose event source differs from their IAM prefix).
 */
import { agentMatcher } from '../../cloudtrail/import/agents';
import { collectExportFiles } from '../../cloudtrail/import/export-files';
import { readExportFile } from '../../cloudtrail/import/export-reader';
import { normalize, resourcesOf } from '../../cloudtrail/import/normalize';
import { badInput } from '../../errors';
import type { ActionCatalogue } from '../evaluate/catalogue';

export interface ObservedCall {
  eventSource: string;
  eventName: string;
  eventTime: string;
  errorCode: string | null;
  /** Resource ARNs or identifiers the call named, where known (least-privilege drafts use them). */
  resources: string[];
}

/** Event sources whose IAM service prefix is not the first label of the host name. */
const PREFIX_OF_SOURCE: Record<string, string> = {
  'monitoring.amazonaws.com': 'cloudwatch',
  'email.amazonaws.com': 'ses',
  'elasticfilesystem.amazonaws.com': 'elasticfilesystem',
  'es.amazonaws.com': 'es',
  'tagging.amazonaws.com': 'tag',
};

/** API operations whose permission has another name. */
const ACTION_OF_EVENT: Record<string, string> = {
  's3:DeleteObjects': 's3:DeleteObject',
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:HeadObject': 's3:GetObject',
  's3:HeadBucket': 's3:ListBucket',
  's3:ListObjects': 's3:ListBucket',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjectVersions': 's3:ListBucketVersions',
  's3:GetBucketLifecycleConfiguration': 's3:GetLifecycleConfiguration',
  's3:PutBucketLifecycleConfiguration': 's3:PutLifecycleConfiguration',
  's3:DeleteBucketLifecycle': 's3:PutLifecycleConfiguration',
  's3:CopyObject': 's3:PutObject',
  's3:CreateMultipartUpload': 's3:PutObject',
  's3:CompleteMultipartUpload': 's3:PutObject',
  's3:UploadPart': 's3:PutObject',
};

const DENIED = /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden/i;
export const isDenied = (errorCode: string | null): boolean => errorCode !== null && DENIED.test(errorCode);

/** `service:Action` for an event, named as the catalogue names it when it knows it. */
export function actionOfEvent(eventSource: string, eventName: string, catalogue: ActionCatalogue): string {
  const prefix = PREFIX_OF_SOURCE[eventSource] ?? eventSource.replace(/\.amazonaws\.com$/, '').split('.')[0] ?? eventSource;
  // Lambda logs the API version in the name: CreateFunction20150331, UpdateFunctionConfiguration20150331v2.
  const name = prefix === 'lambda' ? eventName.replace(/\d{8}(v\d+)?$/, '') : eventName;
  const raw = ACTION_OF_EVENT[`${prefix}:${name}`] ?? `${prefix}:${name}`;
  return catalogue.find(raw)?.key ?? raw;
}

/**
 * The identity's calls in CloudTrail export files on this machine (files, folders, AWSLogs/ trees, .json.gz), for the
 * stateless `iam analyze --authz FILE --logs PATH`. Files that cannot be read are refused, naming them.
 */
export async function callsInExports(paths: readonly string[], identity: string): Promise<ObservedCall[]> {
  const { files, others } = await collectExportFiles(paths);
  const failed = others.filter((o) => o.status === 'failed');
  if (failed.length) throw badInput(`Cannot read the logs: ${failed.map((f) => `${f.path}: ${f.reason}`).join('; ')}.`);
  if (files.length === 0) throw badInput(`No CloudTrail log files in ${paths.join(', ')}.`);
  const matcher = agentMatcher([identity]);
  const calls: ObservedCall[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const r = await readExportFile(f.path, (view) => {
      const record = view.object();
      const ev = normalize(record);
      if (!matcher.match(ev.identity) || seen.has(ev.eventID)) return;
      seen.add(ev.eventID);
      calls.push({ eventSource: ev.eventSource, eventName: ev.eventName, eventTime: ev.eventTime, errorCode: ev.errorCode, resources: resourcesOf(record, ev.service) });
    });
    if (r.status === 'failed') throw badInput(`${f.path}: ${r.reason ?? 'not a CloudTrail log'}.`);
  }
  return calls;
}
