import { describe, expect, it } from 'vitest';
import { azureEvent } from '../../../electron/core/cloudtrail/model/azure-adapter';

const SUB_A = '0b1f6471-1bf0-4dda-aec3-111122223333';
const SUB_B = '7d3c2e10-55aa-4b0e-9c1d-444455556666';
const resource = (sub: string, db: string) => `/SUBSCRIPTIONS/${sub.toUpperCase()}/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.SQL/SERVERS/S/DATABASES/${db}`;

function event(extra: Record<string, unknown>) {
  const r = azureEvent({ time: '2026-03-10T00:00:00.1234567Z', operationName: 'MICROSOFT.SQL/SERVERS/DATABASES/DELETE', correlationId: 'c1', ...extra }, 'f.json', 1);
  if ('refused' in r) throw new Error(r.refused);
  return r;
}

describe('the Azure adapter', () => {
  // Each pair is worked out once and then recalled: the same answers whatever came before, in any order, repeatedly.
  const outcomes: Array<[Record<string, unknown>, boolean, string]> = [
    [{ resultType: 'Start' }, true, 'unknown'],
    [{ resultType: 'Success' }, false, 'success'],
    [{ resultType: 'Failure' }, false, 'failure'],
    [{ resultType: 'Accept' }, true, 'unknown'],
    [{ resultType: 'Succeeded.' }, false, 'success'],
    [{ result_type: 'failed' }, false, 'failure'],
    [{ status: { value: 'Started' } }, true, 'unknown'],
    [{ eventName: 'BeginRequest' }, true, 'unknown'],
    [{ eventName: 'BeginRequest', resultType: 'Success' }, false, 'success'],
    [{ eventName: 'BeginRequest', resultType: 'Failed' }, false, 'failure'],
    [{ event_name: 'beginrequest', resultType: 'Active' }, true, 'unknown'],
    [{ eventName: 'EndRequest', resultType: 'Active' }, false, 'unknown'],
    [{ eventName: 'EndRequest' }, false, 'unknown'],
    [{}, false, 'unknown'],
  ];

  it('tells a Start from an outcome, and the status, by the result and the phase', () => {
    for (let round = 0; round < 3; round++) {
      const order = round === 1 ? [...outcomes].reverse() : outcomes;
      for (const [fields, started, status] of order) {
        const r = event(fields);
        expect({ fields, started: r.started, status: r.event.status }).toEqual({ fields, started, status });
      }
    }
    // More distinct pairs than are kept, then the first ones again.
    for (let i = 0; i < 20; i++) expect(event({ resultType: `Other${i}` }).started).toBe(false);
    expect(event({ resultType: 'Start' }).started).toBe(true);
    expect(event({ eventName: 'BeginRequest', resultType: 'Failed' }).event.status).toBe('failure');
  });

  it('reads the subscription of each record from its own resource id when it has no subscriptionId', () => {
    const accounts = [SUB_A, SUB_A, SUB_B, SUB_A, SUB_B, SUB_B].map((sub, i) => event({ resourceId: resource(sub, `DB${i % 2}`) }).event.account);
    expect(accounts).toEqual([SUB_A, SUB_A, SUB_B, SUB_A, SUB_B, SUB_B]);
    expect(event({ resourceId: '/providers/Microsoft.Management/managementGroups/mg1' }).event.account).toBeNull();
    expect(event({ resourceId: resource(SUB_B, 'DB0'), subscriptionId: 'named' }).event.account).toBe('named');
    expect(event({ resourceId: resource(SUB_A, 'DB0') }).event.account).toBe(SUB_A);
    expect(event({ identity: { authorization: { scope: `/subscriptions/${SUB_B}/resourceGroups/rg` } } }).event.account).toBe(SUB_B);
  });
});
