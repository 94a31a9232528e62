import { describe, expect, it } from 'vitest';
import { AzureActivitySource, azureFilter } from '../../../electron/core/cloudtrail/collect/azure-source';
import { gcpFilter } from '../../../electron/core/cloudtrail/collect/gcp-source';
import { retryAfterMs } from '../../../electron/core/cloudtrail/collect/page-source';
import { logsContract } from '../../../electron/shared/contract/logs';

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

describe('what a logs pull asks the clouds for', () => {
  it('writes the Azure $filter in the only shape ActivityLogs.list accepts, quotes doubled', () => {
    expect(azureFilter('2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z')).toBe("eventTimestamp ge '2026-03-01T00:00:00.000Z' and eventTimestamp le '2026-03-02T00:00:00.000Z'");
    expect(azureFilter('a', 'b', 'rg-prod', "o'neil@example.com")).toBe("eventTimestamp ge 'a' and eventTimestamp le 'b' and resourceGroupName eq 'rg-prod' and caller eq 'o''neil@example.com'");
  });

  it('writes the Logging query for every audit log of the window, quotes and backslashes escaped', () => {
    expect(gcpFilter('s', 'e')).toBe('logName:"cloudaudit.googleapis.com" AND timestamp>="s" AND timestamp<="e"');
    expect(gcpFilter('s', 'e', 'a"b\\c@p.iam.gserviceaccount.com')).toBe(
      'logName:"cloudaudit.googleapis.com" AND timestamp>="s" AND timestamp<="e" AND protoPayload.authenticationInfo.principalEmail="a\\"b\\\\c@p.iam.gserviceaccount.com"',
    );
  });

  it('reads Retry-After in seconds, as a date, and in the millisecond headers Azure adds; a huge one is capped', () => {
    expect(retryAfterMs(headers({ 'retry-after': '7' }))).toBe(7000);
    expect(retryAfterMs(headers({ 'retry-after': '7', 'x-ms-retry-after-ms': '250' }))).toBe(250);
    const now = Date.parse('2026-03-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Sun, 01 Mar 2026 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': '86400' }))).toBe(300_000);
    expect(retryAfterMs(headers({}))).toBeNull();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeNull();
  });
});

describe('logs.pull input', () => {
  const input = logsContract['logs.pull'].input;
  const problems = (v: unknown) => {
    const r = input.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };
  it('takes a subscription for Azure and a project for GCP, and says which flag belongs to which cloud', () => {
    expect(problems({ incidentId: 'IR-2026-0001', cloud: 'azure', subscription: '5f1c2d3e-0000-4000-8000-000000000001', resourceGroup: 'rg-prod' })).toEqual([]);
    expect(problems({ incidentId: 'IR-2026-0001', cloud: 'gcp', project: 'prod-project', caller: 'agent@prod-project.iam.gserviceaccount.com' })).toEqual([]);
    expect(problems({ incidentId: 'IR-2026-0001', cloud: 'gcp', subscription: '5f1c2d3e-0000-4000-8000-000000000001' })).toEqual(['--subscription is for --cloud azure; GCP reads a --project']);
    expect(problems({ incidentId: 'IR-2026-0001', cloud: 'azure', project: 'prod-project' })).toEqual(['--project is for --cloud gcp; Azure reads a --subscription']);
    expect(problems({ incidentId: 'IR-2026-0001', cloud: 'aws' })).toEqual(['cloud is azure or gcp (CloudTrail is pulled by cloudtrail pull)']);
    expect(problems({ incidentId: 'IR-2026-0001', cloud: 'azure', subscription: 'prod' })).toEqual(['an Azure subscription id is a GUID']);
    expect(problems({ incidentId: 'IR-2026-0001', cloud: 'gcp', project: 'Prod_Project' })).toEqual(['a GCP project id is 6-30 lower-case letters, digits and hyphens']);
    expect(problems({ incidentId: 'IR-2026-0001', cloud: 'gcp', project: 'prod-project', endpoint: 'http://logging.example.com' })).toEqual([
      'endpoint must be https (plain http is accepted only on this machine, for tests)',
    ]);
  });
});

describe('how an Azure failure is read', () => {
  it('tells throttling (with its Retry-After), refused and missing credentials, an expired nextLink and server faults apart', async () => {
    const source = await AzureActivitySource.create({
      subscription: '5f1c2d3e-0000-4000-8000-000000000001',
      filter: azureFilter('a', 'b'),
      credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) },
    });
    const rest = (statusCode: number, code: string, h: Record<string, string> = {}) =>
      Object.assign(new Error(`${code} happened`), { name: 'RestError', code, statusCode, response: { headers: { get: (n: string) => h[n] } } });
    expect(source.classify(rest(429, 'TooManyRequests', { 'retry-after': '2' }), null)).toEqual({ kind: 'throttle', message: 'HTTP 429 TooManyRequests', retryAfterMs: 2000 });
    expect(source.classify(rest(403, 'AuthorizationFailed'), null)).toMatchObject({ kind: 'auth', message: 'AuthorizationFailed (HTTP 403): AuthorizationFailed happened' });
    expect(source.classify(rest(400, 'InvalidSkipToken'), 'https://management.azure.com/next')).toMatchObject({ kind: 'token' });
    expect(source.classify(rest(400, 'BadRequest'), null)).toMatchObject({ kind: 'other' });
    expect(source.classify(rest(503, 'ServiceUnavailable'), null)).toMatchObject({ kind: 'retry' });
    expect(source.classify(Object.assign(new Error('no az'), { name: 'CredentialUnavailableError' }), null)).toMatchObject({ kind: 'credentials' });
    expect(source.classify(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), null)).toMatchObject({ kind: 'retry' });
  });
});
