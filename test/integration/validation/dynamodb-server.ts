import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  type AttributeDefinition,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

/**
 * A DynamoDB-compatible server (dynalite, in memory) on 127.0.0.1, reached by the real AWS SDK over HTTP. Credentials
 * are dummies in the environment: the SDK's default chain finds them, as it finds a responder's real ones.
 */
export async function startDynalite(): Promise<{ endpoint: string; client: DynamoDBClient; close(): Promise<void> }> {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDFIREBREAKTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'firebreak-test-secret';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function createTable(client: DynamoDBClient, name: string, keys: Array<[string, 'S' | 'N' | 'B', 'HASH' | 'RANGE']>): Promise<void> {
  const AttributeDefinitions: AttributeDefinition[] = keys.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
  const KeySchema: KeySchemaElement[] = keys.map(([AttributeName, , KeyType]) => ({ AttributeName, KeyType }));
  await client.send(new CreateTableCommand({ TableName: name, AttributeDefinitions, KeySchema, BillingMode: 'PAY_PER_REQUEST' }));
}

/** Writes items 25 at a time (BatchWriteItem's limit), resending what the server leaves unprocessed. */
export async function putItems(client: DynamoDBClient, table: string, items: ReadonlyArray<Record<string, AttributeValue>>): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) {
      const r = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
      requests = (r.UnprocessedItems?.[table] ?? []).flatMap((w) => (w.PutRequest?.Item ? [{ PutRequest: { Item: w.PutRequest.Item } }] : []));
    }
  }
}

/**
 * An HTTP proxy in front of the server that answers every `throttleEvery`-th Scan with DynamoDB's throttling error,
 * as a table over its provisioned throughput does. Counts what it throttled.
 */
export async function startThrottlingProxy(target: string, throttleEvery: number): Promise<{ endpoint: string; throttled: () => number; scans: () => number; close(): Promise<void> }> {
  const to = new URL(target);
  let scans = 0;
  let throttled = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (String(req.headers['x-amz-target'] ?? '').endsWith('.Scan')) {
        scans += 1;
        if (scans % throttleEvery === 0) {
          throttled += 1;
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded.' }));
          return;
        }
      }
      const up = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 500, r.headers);
        r.pipe(res);
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    throttled: () => throttled,
    scans: () => scans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
