import type { TableDescription } from '@aws-sdk/client-dynamodb';
import type { TableCheck, TableDefinition } from '../../../shared/validation';
import { FirebreakError } from '../../errors';
import type { MeasureOptions, TableMeasure, TableRef, TargetAdapter } from './adapter';
import { dynamoCall } from './dynamodb-errors';
import { scanTable } from './dynamodb-scan';
import type { DynamoTarget } from './dynamodb-target';

/** DynamoDB's wire API version: what the "server version" of a region is. */
const API_VERSION = 'DynamoDB API 2012-08-10';

/**
 * A DynamoDB region as a validation target: tables by ListTables (or the one the URL names), their key schema as the
 * definition, and items counted and checksummed by a parallel strongly consistent Scan. Nothing here writes.
 * Credentials are the SDK's (default chain or profile); Firebreak never sees them.
 */
export async function openDynamo(spec: DynamoTarget): Promise<TargetAdapter> {
  // Loaded on first use: the SDK costs start-up time every other command would pay.
  const sdk = await import('@aws-sdk/client-dynamodb');
  const { DescribeTableCommand, ListTablesCommand } = sdk;
  const client = new sdk.DynamoDBClient({
    region: spec.region,
    // Retries are dynamoCall's, with back-off sized for Scan throttling and cancellation between attempts.
    maxAttempts: 1,
    ...(spec.profile ? { profile: spec.profile } : {}),
    ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
  });
  const described = new Map<string, TableDescription>();
  const describeTable = async (name: string, signal?: AbortSignal): Promise<TableDescription | null> => {
    try {
      const r = await dynamoCall(`DescribeTable ${name} in ${spec.display}`, (abortSignal) => client.send(new DescribeTableCommand({ TableName: name }), { abortSignal }), signal);
      if (r.Table) described.set(name, r.Table);
      return r.Table ?? null;
    } catch (e) {
      if (e instanceof FirebreakError && e.code === 'not-found') return null;
      throw e;
    }
  };
  const ref = (name: string): TableRef => ({ schema: null, name, display: name });

  const listTables = async (): Promise<TableRef[]> => {
    if (spec.table) return (await describeTable(spec.table)) ? [ref(spec.table)] : [];
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await dynamoCall(`ListTables in ${spec.display}`, (abortSignal) =>
        client.send(new ListTablesCommand(start ? { ExclusiveStartTableName: start } : {}), { abortSignal }),
      );
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start);
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(ref);
  };

  return {
    engine: 'dynamodb',
    serverVersion: spec.endpoint ? `${API_VERSION} at ${spec.endpoint}` : API_VERSION,
    display: spec.display,
    database: spec.region,
    listTables,
    async describe(tables) {
      const out = new Map<string, TableDefinition>();
      for (const t of tables) {
        const d = described.get(t.name) ?? (await describeTable(t.name));
        if (d) out.set(t.display, keySchemaDefinition(d));
      }
      return out;
    },
    async measure(table: TableRef, o: MeasureOptions): Promise<TableMeasure> {
      return scanTable(client, sdk.ScanCommand, { table: table.name, segments: spec.segments, checksum: o.checksum, signal: o.signal, onRows: o.onRows });
    },
    async integrityCheck(tables, signal) {
      const checks: TableCheck[] = [];
      for (const t of tables.length ? tables : await listTables()) {
        const d = await describeTable(t.name, signal);
        if (!d) checks.push({ table: t.display, status: 'problem', messages: ['the table does not exist'] });
        else if (d.TableStatus !== 'ACTIVE') checks.push({ table: t.display, status: 'problem', messages: [`the table is ${d.TableStatus ?? 'in an unknown state'}, not ACTIVE`] });
        else checks.push({ table: t.display, status: 'ok', messages: [] });
      }
      return { method: 'dynamodb-describe-table', messages: [], tables: checks };
    },
    // DynamoDB has no views, routines, triggers or sequences: an empty list says so, where a missing method would
    // make the compare note that they were not compared.
    async listObjects() {
      return [];
    },
    async close() {
      client.destroy();
    },
  };
}

/**
 * The key schema as a table definition: the partition key, then the sort key, each with its attribute type
 * (`S`, `N`, `B`) and role. Other attributes are schemaless in DynamoDB and belong to the items, not the table.
 */
export function keySchemaDefinition(d: TableDescription): TableDefinition {
  const types = new Map((d.AttributeDefinitions ?? []).map((a) => [a.AttributeName ?? '', a.AttributeType ?? '?']));
  const keys = [...(d.KeySchema ?? [])].sort((a, b) => (a.KeyType === 'HASH' ? -1 : b.KeyType === 'HASH' ? 1 : 0));
  return {
    columns: keys.map((k) => ({ name: k.AttributeName ?? '', type: `${types.get(k.AttributeName ?? '') ?? '?'} ${k.KeyType === 'HASH' ? 'partition key' : 'sort key'}`, nullable: false })),
    primaryKey: keys.map((k) => k.AttributeName ?? ''),
    uniqueKeys: [],
    foreignKeys: [],
  };
}
