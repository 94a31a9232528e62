import { PASSWORD_PARAMS } from '../../../shared/url-secrets';
import { badInput } from '../../errors';

/**
 * A DynamoDB region (optionally one table) to validate: `dynamodb://REGION[/TABLE][?endpoint=URL&profile=NAME&segments=N]`.
 * Credentials come from the AWS SDK's default chain or the named profile, never from the URL: a URL is recorded in the
 * ledger and the reports, a secret key must not be.
 */
export interface DynamoTarget {
  engine: 'dynamodb';
  region: string;
  /** Only this table; null: every table the credentials can list in the region. */
  table: string | null;
  /** Another DynamoDB-compatible endpoint (DynamoDB Local, a VPC endpoint, a test server). */
  endpoint: string | undefined;
  profile: string | undefined;
  /** Parallel Scan segments per table; the checksum does not depend on it. */
  segments: number;
  display: string;
}

export const DEFAULT_SCAN_SEGMENTS = 4;
/** DynamoDB's own limit on TotalSegments. */
const MAX_SEGMENTS = 1_000_000;
const PARAMS = ['endpoint', 'profile', 'segments'];
/** Query parameters under which people paste AWS keys; refused like passwords. */
const KEY_PARAMS = ['secret', 'secretkey', 'secret_key', 'secretaccesskey', 'secret_access_key', 'aws_secret_access_key', 'accesskey', 'access_key', 'accesskeyid', 'aws_access_key_id', 'sessiontoken', 'session_token', 'token'];
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
const TABLE_RE = /^[A-Za-z0-9_.-]{3,255}$/;

export function parseDynamoUrl(url: string): DynamoTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw badInput(`The DynamoDB URL "${url.replace(/\/\/[^/@]*@/, '//')}" is not a valid URL: write dynamodb://REGION[/TABLE].`);
  }
  if (u.username || u.password) {
    throw badInput('The DynamoDB URL carries credentials before "@": leave them out of the URL.', [
      'Firebreak uses the AWS default credential chain (environment, ~/.aws, SSO, instance role); choose a profile with ?profile=NAME.',
    ]);
  }
  const params = new Map<string, string>();
  for (const [k, v] of u.searchParams) {
    const name = k.toLowerCase();
    if (PASSWORD_PARAMS.includes(name) || KEY_PARAMS.includes(name)) {
      throw badInput(`The DynamoDB URL carries a secret in its query parameter "${k}": leave it out of the URL.`, [
        'Firebreak uses the AWS default credential chain (environment, ~/.aws, SSO, instance role); choose a profile with ?profile=NAME.',
      ]);
    }
    if (!PARAMS.includes(k)) throw badInput(`The DynamoDB URL option "${k}" is not supported.`, [`Supported: ${PARAMS.join(', ')}.`]);
    params.set(k, v);
  }
  const region = u.hostname.toLowerCase();
  if (!REGION_RE.test(region)) {
    throw badInput(`"${u.hostname || '(none)'}" in the DynamoDB URL is not an AWS region: write dynamodb://us-east-1[/TABLE].`);
  }
  const path = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (path && !TABLE_RE.test(path)) {
    throw badInput(`"${path}" in the DynamoDB URL is not a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ - .).`);
  }
  const endpoint = params.get('endpoint');
  if (endpoint !== undefined) {
    let e: URL;
    try {
      e = new URL(endpoint);
    } catch {
      throw badInput(`endpoint "${endpoint}" in the DynamoDB URL is not a URL: write endpoint=http://127.0.0.1:8000.`);
    }
    if (e.protocol !== 'http:' && e.protocol !== 'https:') throw badInput(`endpoint "${endpoint}" in the DynamoDB URL must be http:// or https://.`);
    if (e.username || e.password) throw badInput('The endpoint in the DynamoDB URL carries credentials: leave them out.');
  }
  const segmentsText = params.get('segments');
  const segments = segmentsText === undefined ? DEFAULT_SCAN_SEGMENTS : Number(segmentsText);
  if (!Number.isInteger(segments) || segments < 1 || segments > MAX_SEGMENTS) {
    throw badInput(`segments in the DynamoDB URL must be a whole number from 1 to ${MAX_SEGMENTS}, got "${segmentsText}".`);
  }
  const profile = params.get('profile') || undefined;
  return {
    engine: 'dynamodb',
    region,
    table: path || null,
    endpoint,
    profile,
    segments,
    display: `dynamodb://${region}${path ? `/${path}` : ''}${u.search}`,
  };
}
