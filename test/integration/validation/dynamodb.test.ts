import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteItemCommand, DeleteTableCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { withTarget } from '../../../electron/core/validation/adapters/connect';
import { captureBaseline } from '../../../electron/core/validation/baseline/baseline';
import type { CompareResult, RunProgress, ValidationResultBody, ValidationRun } from '../../../electron/shared/validation';
import { call, settleValidation, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';
import { createTable, putItems, startDynalite, startThrottlingProxy } from './dynamodb-server';

async function fb(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) }, { FIREBREAK_ACTOR: 'Dana Reyes' });
  return { code, out, err };
}

const customer = (i: number): Record<string, AttributeValue> => ({
  customerId: { S: `c-${String(i).padStart(5, '0')}` },
  email: { S: `person${i}@example.org` },
  balance: { N: `${i}.50` },
  active: { BOOL: i % 2 === 0 },
  tags: { SS: ['b', 'a', `t${i % 3}`] },
  address: { M: { city: { S: 'Lyon' }, zip: { N: String(69000 + i) } } },
});
const order = (i: number): Record<string, AttributeValue> => ({
  customerId: { S: `c-${String(i % 50).padStart(5, '0')}` },
  orderNo: { N: String(i) },
  lines: { L: [{ S: 'sku-1' }, { N: '2' }, { NULL: true }] },
  blob: { B: new Uint8Array([i % 256, 0, 255]) },
});
// About 200 bytes an item: 20,000 items are 4 MB, so every segment pages through several 1 MB Scan pages.
const event = (i: number): Record<string, AttributeValue> => ({
  pk: { S: `evt#${i}` },
  at: { N: String(1_700_000_000 + i) },
  payload: { S: `${i}:`.padEnd(180, 'x') },
});

describe('DynamoDB baseline and compare over the real SDK (dynalite)', () => {
  const dir = tempDir('firebreak-dynamo-');
  let server: Awaited<ReturnType<typeof startDynalite>>;
  let url = '';
  const baselineFile = join(dir.path, 'dynamo-baseline.json');

  beforeAll(async () => {
    server = await startDynalite();
    url = `dynamodb://us-east-1?endpoint=${server.endpoint}`;
    await createTable(server.client, 'customers', [['customerId', 'S', 'HASH']]);
    await createTable(server.client, 'orders', [['customerId', 'S', 'HASH'], ['orderNo', 'N', 'RANGE']]);
    await createTable(server.client, 'events', [['pk', 'S', 'HASH']]);
    await putItems(server.client, 'customers', Array.from({ length: 50 }, (_, i) => customer(i)));
    await putItems(server.client, 'orders', Array.from({ length: 300 }, (_, i) => order(i)));
    await putItems(server.client, 'events', Array.from({ length: 20_000 }, (_, i) => event(i)));
  }, 120_000);
  afterAll(async () => {
    await server.close();
    dir.cleanup();
  });

  it('a baseline records key schema, item counts and checksums; an unchanged region matches', async () => {
    const b = await fb(['db', 'baseline', url, '--out', baselineFile]);
    expect(b.err).toContain('customers: 50 rows');
    expect(b.code).toBe(0);
    const m = JSON.parse(readFileSync(baselineFile, 'utf8'));
    expect(m).toMatchObject({ engine: 'dynamodb', database: 'us-east-1', target: url, checksumAlgorithm: 'firebreak-rowsum-md5-v1' });
    const orders = m.tables.find((t: { table: string }) => t.table === 'orders');
    expect(orders).toMatchObject({ rows: 300, checksum: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(orders.definition).toEqual({
      columns: [
        { name: 'customerId', type: 'S partition key', nullable: false },
        { name: 'orderNo', type: 'N sort key', nullable: false },
      ],
      primaryKey: ['customerId', 'orderNo'],
      uniqueKeys: [],
      foreignKeys: [],
    });
    expect(m.tables.find((t: { table: string }) => t.table === 'events')).toMatchObject({ rows: 20_000 });
    const c = await fb(['db', 'compare', url, '--baseline', baselineFile, '--json']);
    expect(c.code).toBe(0);
    // DynamoDB has no views or routines: nothing is left uncompared, so no note says otherwise.
    expect(JSON.parse(c.out)).toMatchObject({ match: true, engine: 'dynamodb', notes: [] });
  }, 120_000);

  it('the wizard (Api) captures and compares a DynamoDB table inside an incident, as evidence', async () => {
    const data = tempDir('firebreak-dynamo-api-');
    const core = testCore(data.path);
    try {
      await createTable(server.client, 'sessions', [['sid', 'S', 'HASH']]);
      await putItems(server.client, 'sessions', Array.from({ length: 40 }, (_, i) => ({ sid: { S: `s${i}` }, user: { S: `u${i % 7}` } })));
      const incidentId = (await call<{ id: string }>(core, 'incidents.create', { playbookId: 'agent-destructive-action', title: 'Sessions table emptied' })).id;
      const target = { url: `dynamodb://us-east-1/sessions?endpoint=${server.endpoint}` };
      expect(await call(core, 'validation.describeTarget', target)).toMatchObject({ engine: 'dynamodb', server: null });
      const base = await settleValidation(core, await call<ValidationRun>(core, 'validation.start', { kind: 'baseline', incidentId, target }));
      expect(base).toMatchObject({ status: 'done', verdict: 'captured', engine: 'dynamodb', summary: '1 tables, 40 rows', evidenceId: expect.stringMatching(/^EV-/) });
      await server.client.send(new DeleteItemCommand({ TableName: 'sessions', Key: { sid: { S: 's5' } } }));
      const cmp = await settleValidation(core, await call<ValidationRun>(core, 'validation.start', { kind: 'compare', incidentId, target, baselineRunId: base.id }));
      expect(cmp).toMatchObject({ status: 'done', verdict: 'mismatch', summary: '1 of 1 tables differ: sessions -1 rows' });
      const body = await call<ValidationResultBody>(core, 'validation.result', { runId: cmp.id });
      expect((body as { result: CompareResult }).result.tables).toMatchObject([{ table: 'sessions', status: 'count-mismatch', baselineRows: 40, actualRows: 39 }]);
    } finally {
      core.close();
      data.cleanup();
    }
  }, 60_000);

  it('the checksum does not depend on the number of Scan segments, and every segment pages', async () => {
    const sums: string[] = [];
    for (const segments of [1, 3, 8]) {
      const updates: number[] = [];
      const m = await withTarget(`dynamodb://us-east-1/events?endpoint=${server.endpoint}&segments=${segments}`, {}, (a) =>
        captureBaseline(a, { onProgress: (p: RunProgress) => updates.push(p.tables[0]?.rows ?? 0) }),
      );
      expect(m.tables).toHaveLength(1);
      expect(m.tables[0]?.rows).toBe(20_000);
      sums.push(m.tables[0]?.checksum ?? '');
      // Progress after every page: 4 MB read in pages of at most 1 MB take at least four pages, whatever the segments.
      expect(new Set(updates.filter((n) => n > 0 && n < 20_000)).size).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(sums).size).toBe(1);
    const whole = JSON.parse(readFileSync(baselineFile, 'utf8')).tables.find((t: { table: string }) => t.table === 'events');
    expect(sums[0]).toBe(whole.checksum);
  }, 120_000);

  it('throttled Scan pages are retried and the result is the same', async () => {
    const proxy = await startThrottlingProxy(server.endpoint, 3);
    try {
      const m = await withTarget(`dynamodb://us-east-1/events?endpoint=${proxy.endpoint}&segments=4`, {}, (a) => captureBaseline(a));
      const whole = JSON.parse(readFileSync(baselineFile, 'utf8')).tables.find((t: { table: string }) => t.table === 'events');
      expect(proxy.throttled()).toBeGreaterThan(0);
      expect(m.tables[0]).toMatchObject({ rows: 20_000, checksum: whole.checksum });
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('a cancelled scan stops with a cancellation, not a partial result', async () => {
    const controller = new AbortController();
    const run = withTarget(`dynamodb://us-east-1/events?endpoint=${server.endpoint}&segments=2`, {}, (a) =>
      captureBaseline(a, { signal: controller.signal, onProgress: (p) => (p.tables[0]?.rows ? controller.abort() : undefined) }),
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  }, 60_000);

  it('a deleted item, a changed attribute and a deleted table are each reported; exit 1', async () => {
    await server.client.send(new DeleteItemCommand({ TableName: 'orders', Key: { customerId: { S: 'c-00007' }, orderNo: { N: '107' } } }));
    await server.client.send(
      new UpdateItemCommand({
        TableName: 'customers',
        Key: { customerId: { S: 'c-00003' } },
        UpdateExpression: 'SET email = :e',
        ExpressionAttributeValues: { ':e': { S: 'someone-else@example.org' } },
      }),
    );
    await server.client.send(new DeleteTableCommand({ TableName: 'events' }));
    const c = await fb(['db', 'compare', url, '--baseline', baselineFile, '--json']);
    expect(c.code).toBe(1);
    const r = JSON.parse(c.out);
    expect(r.match).toBe(false);
    const byTable = Object.fromEntries(r.tables.map((t: { table: string }) => [t.table, t]));
    expect(byTable.orders).toMatchObject({ status: 'count-mismatch', baselineRows: 300, actualRows: 299 });
    expect(byTable.customers).toMatchObject({ status: 'checksum-mismatch', baselineRows: 50, actualRows: 50 });
    expect(byTable.events).toMatchObject({ status: 'missing', baselineRows: 20_000, actualRows: null });
    const text = await fb(['db', 'compare', url, '--baseline', baselineFile]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/orders/);
  }, 120_000);

  it('keys in the URL are refused before anything is read; a region that is not one is named', async () => {
    const inUserInfo = await fb(['db', 'baseline', `dynamodb://AKIDEXAMPLE:wJalrXUtnFEMI@us-east-1/orders?endpoint=${server.endpoint}`, '--out', join(dir.path, 'x.json')]);
    expect(inUserInfo.code).toBe(2);
    expect(inUserInfo.err).toMatch(/credentials/);
    expect(inUserInfo.err).not.toContain('wJalrXUtnFEMI');
    const inQuery = await fb(['db', 'baseline', `dynamodb://us-east-1/orders?endpoint=${server.endpoint}&aws_secret_access_key=wJalrXUtnFEMI`, '--out', join(dir.path, 'x.json')]);
    expect(inQuery.code).toBe(2);
    expect(inQuery.err).toMatch(/secret in its query parameter "aws_secret_access_key"/);
    expect(inQuery.err).not.toContain('wJalrXUtnFEMI');
    const badRegion = await fb(['db', 'baseline', 'dynamodb://nowhere/orders', '--out', join(dir.path, 'x.json')]);
    expect(badRegion.code).toBe(2);
    expect(badRegion.err).toMatch(/"nowhere" in the DynamoDB URL is not an AWS region/);
  });
});
