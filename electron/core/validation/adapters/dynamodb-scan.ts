import type { AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ChecksumAccumulator } from './canonical';
import { itemFields } from './dynamodb-canonical';
import { dynamoCall } from './dynamodb-errors';

export interface SegmentedScanOptions {
  table: string;
  segments: number;
  checksum: boolean;
  signal?: AbortSignal | undefined;
  /** Items seen so far over all segments, after every page. */
  onRows?: ((rows: number) => void) | undefined;
}

/**
 * Counts and checksums a table with a parallel Scan: `segments` workers each page through their segment with
 * `ExclusiveStartKey = LastEvaluatedKey` until none is returned. The checksum is a sum, so the order in which
 * segments and pages arrive does not matter, nor how many segments there are. Strongly consistent reads, so a write
 * acknowledged before the scan reached its item is seen; DynamoDB has no snapshot, so writes during the scan may or
 * may not be (docs/validation-checksum.md).
 */
export async function scanTable(client: DynamoDBClient, Scan: typeof ScanCommand, o: SegmentedScanOptions): Promise<{ rows: number; checksum: string | null }> {
  const sum = new ChecksumAccumulator();
  let counted = 0;
  const segment = async (index: number) => {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamoCall(
        `Scan of ${o.table} (segment ${index + 1} of ${o.segments})`,
        (abortSignal) =>
          client.send(
            new Scan({
              TableName: o.table,
              Segment: index,
              TotalSegments: o.segments,
              ConsistentRead: true,
              ...(o.checksum ? {} : { Select: 'COUNT' }),
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
            { abortSignal },
          ),
        o.signal,
      );
      if (o.checksum) for (const item of page.Items ?? []) sum.addRow(itemFields(item));
      counted += page.Count ?? 0;
      o.onRows?.(counted);
      start = page.LastEvaluatedKey && Object.keys(page.LastEvaluatedKey).length ? page.LastEvaluatedKey : undefined;
    } while (start);
  };
  await Promise.all(Array.from({ length: o.segments }, (_, i) => segment(i)));
  return { rows: counted, checksum: o.checksum ? sum.checksum : null };
}
