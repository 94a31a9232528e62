import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHeader, recordOfRow } from '../../../electron/core/athena/result-records';
import { athenaColumns, athenaRowOf } from '../../helpers/athena-rows';

/** Real recorded CloudTrail (Stratus Red Team detonations), as Athena would return it from the documented table. */
const dir = resolve(__dirname, '../../../../shared/reference/cloudtrail/samples/stratus-red-team');
const records = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as Array<Record<string, unknown>>);

/** What the documented table keeps of a record: its columns and the identity fields its struct declares. */
function kept(r: Record<string, unknown>) {
  const ui = (r.userIdentity ?? {}) as Record<string, unknown>;
  const sc = (ui.sessionContext ?? {}) as Record<string, unknown>;
  const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined && o[k] !== null).map((k) => [k, o[k]]));
  return {
    ...pick(r, ['eventVersion', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'requestID', 'eventID', 'eventType', 'recipientAccountId', 'eventCategory', 'sharedEventID', 'vpcEndpointId']),
    readOnly: r.readOnly === undefined ? undefined : String(r.readOnly) === 'true',
    userIdentity: {
      ...pick(ui, ['type', 'principalId', 'arn', 'accountId', 'invokedBy', 'accessKeyId', 'userName']),
      ...(ui.sessionContext ? { sessionContext: { ...pick(sc, ['attributes', 'ec2RoleDelivery']), ...(sc.sessionIssuer ? { sessionIssuer: sc.sessionIssuer } : {}) } } : {}),
    },
    resources: r.resources,
  };
}

describe('records rebuilt from Athena rows', () => {
  it('come back as CloudTrail wrote them, on real recorded events', () => {
    expect(records.length).toBeGreaterThan(20);
    for (const r of records) {
      const back = recordOfRow(athenaRowOf(r, undefined), 1);
      expect(kept(back), String(r.eventID)).toEqual(kept(r));
    }
  });

  it('refuse results whose columns are not the query\'s', () => {
    expect(() => checkHeader(athenaColumns)).not.toThrow();
    expect(() => checkHeader(['eventid', ...athenaColumns])).toThrow(/expected eventversion, useridentity/);
  });

  it('say which row and column is not JSON', () => {
    const row = athenaRowOf(records[0] as Record<string, unknown>, undefined);
    row[1] = '{type=AssumedRole, arn=arn:aws:sts::1:assumed-role/r/s}';
    expect(() => recordOfRow(row, 7)).toThrow('row 7 of the results: column useridentity is not JSON');
  });
});
