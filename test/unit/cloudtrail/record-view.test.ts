import { describe, expect, it } from 'vitest';
import { viewOfText } from '../../../electron/core/cloudtrail/import/export-reader';
import { isoTimeSec } from '../../../electron/core/cloudtrail/import/normalize';
import { F, RecordView } from '../../../electron/core/cloudtrail/import/record-view';

const record = (fields: Record<string, unknown>) => JSON.stringify({ eventVersion: '1.11', eventSource: 'rds.amazonaws.com', eventName: 'DeleteDBInstance', ...fields });

describe('RecordView', () => {
  it('reads eventTime from the bytes exactly as the string form reads it, and refuses what that refuses', () => {
    const view = new RecordView();
    const times = [
      '2026-03-10T09:00:05Z',
      '2024-02-29T23:59:59Z',
      '2000-02-29T00:00:00Z',
      '2026-12-31T23:59:60Z',
      '2025-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-03-00T00:00:00Z',
      '2026-03-10T24:00:00Z',
      '2026-03-10T09:60:00Z',
      '2026-03-1:T09:00:05Z',
      '2026-03-10T1:00:05Z',
      '2026-03-10T09:0/:05Z',
      '2O26-03-10T09:00:05Z',
    ];
    for (const t of times) {
      viewOfText(record({ eventTime: t }), view);
      const fast = view.timeSec(F.EventTime);
      const slow = isoTimeSec(t);
      expect(fast, t).toBe(slow);
    }
  });

  it('hands back each distinct repeating value exactly, also values alike in every byte its cache samples', () => {
    const view = new RecordView();
    // Same length, same ends and same quarter points: they differ only where the cache's hash does not look.
    const agents = Array.from({ length: 40 }, (_, i) => `aws-cli/2.15.${String(i).padStart(2, '0')} Python/3.11.8 Linux/6.1 exe/x86_64 prompt/off command/rds.delete-db-instance-pad`);
    const names = ['ListTables', 'ListTablez', 'GetObject', 'GetObjecu', 'a', 'ab', 'é-ü', 'x\\"y'];
    for (let round = 0; round < 3; round++) {
      for (const [k, ua] of agents.entries()) {
        const name = names[k % names.length] as string;
        viewOfText(record({ userAgent: ua, eventName: JSON.parse(`"${name}"`) }), view);
        expect(view.str(F.UserAgent)).toBe(ua);
        expect(view.str(F.EventName)).toBe(JSON.parse(`"${name}"`));
      }
    }
  });
});
