import { describe, expect, it } from 'vitest';
import { readCloudRiskTables } from '../../../electron/core/cloudtrail/analyse/cloud-high-risk';
import { readHighRiskTable } from '../../../electron/core/cloudtrail/analyse/high-risk-load';
import { LOG_ROW_INTS, LogCol, type LogRowBatch, LogRowEncoder } from '../../../electron/core/cloudtrail/analyse/log-rows';
import { repoRoot } from '../../helpers/core';
import { GCP_AGENT, gcpEntries } from '../../helpers/cloud-logs-corpus';

const T0 = Date.parse('2026-03-10T09:00:00Z');
/** Six GCP entries, the third without a valid time (refused by the adapter). */
const entries = Array.from({ length: 6 }, (_, i) => {
  const e = gcpEntries({ ms: T0 + i * 1000, method: 'cloudsql.instances.get', service: 'cloudsql.googleapis.com', principal: GCP_AGENT, insertId: `e${i}` })[0] as Record<string, unknown>;
  return i === 2 ? { ...e, timestamp: 'yesterday' } : e;
});

function read(skip: number, capacity: number): { batches: LogRowBatch[]; refused: number } {
  const batches: LogRowBatch[] = [];
  const encoder = new LogRowEncoder({ awsTable: readHighRiskTable(repoRoot), cloudTables: readCloudRiskTables(repoRoot), agents: [GCP_AGENT] }, (b) => batches.push(b), capacity);
  encoder.startFile(skip);
  entries.forEach((e, i) => encoder.gcp(e, 'f.json', i + 1));
  encoder.flush();
  return { batches, refused: encoder.refused.count };
}

describe('log row batches', () => {
  it('say how many records of the file they account for, refused ones included', () => {
    const { batches, refused } = read(0, 2);
    expect(batches.map((b) => [b.rows, b.records])).toEqual([
      [2, 2],
      [2, 3],
      [1, 1],
    ]);
    expect(refused).toBe(1);
  });

  it('give no rows for the records a reader that died had handed over, and still count their refusals', () => {
    // The first batch of 2 rows above accounts for 2 records; after 3 the refused one has gone by too.
    for (const [skip, rows] of [
      [2, 3],
      [3, 3],
      [6, 0],
    ] as const) {
      const { batches, refused } = read(skip, 100);
      expect(batches.reduce((a, b) => a + b.rows, 0)).toBe(rows);
      expect(refused).toBe(1);
    }
  });

  it('mark each row with the agent its caller matched, as callers alternate', () => {
    const batches: LogRowBatch[] = [];
    const encoder = new LogRowEncoder({ awsTable: readHighRiskTable(repoRoot), cloudTables: readCloudRiskTables(repoRoot), agents: [GCP_AGENT] }, (b) => batches.push(b));
    encoder.startFile();
    const principals = [GCP_AGENT, 'ops@example.org', GCP_AGENT, GCP_AGENT, 'ops@example.org', 'ops@example.org', GCP_AGENT];
    principals.forEach((principal, i) => {
      const e = gcpEntries({ ms: T0 + i * 1000, method: 'cloudsql.instances.get', service: 'cloudsql.googleapis.com', principal, insertId: `a${i}` })[0] as Record<string, unknown>;
      encoder.gcp(e, 'f.json', i + 1);
    });
    encoder.flush();
    const [batch] = batches as [LogRowBatch];
    const agentOf = (row: number) => {
      const id = batch.ints[row * LOG_ROW_INTS + LogCol.Agent] as number;
      return id < 0 ? null : batch.strings[id - batch.firstString];
    };
    expect(principals.map((_, row) => agentOf(row))).toEqual(principals.map((p) => (p === GCP_AGENT ? GCP_AGENT : null)));
  });
});
