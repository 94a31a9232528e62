import { describe, expect, it } from 'vitest';
import { isoTimeMs } from '../../../electron/core/cloudtrail/import/normalize';

describe('isoTimeMs', () => {
  it('reads the common UTC form, fraction of any length, as Date.parse does to the millisecond', () => {
    for (const t of ['2026-03-10T09:00:05Z', '2026-03-10T09:00:05.1Z', '2026-03-10T09:00:05.1001234Z', '2024-02-29T23:59:59.999Z', '1999-12-31T00:00:00.000123Z']) {
      expect(isoTimeMs(t)).toBe(Date.parse(t.replace(/(\.\d{3})\d+Z$/, '$1Z')));
    }
    expect(isoTimeMs('2026-03-10T09:00:05.0009Z')).toBe(Date.parse('2026-03-10T09:00:05Z'));
  });

  it('refuses moments that do not exist and forms it does not know, the same with or without a fraction', () => {
    for (const t of ['2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-03-10T24:00:00Z', '2026-03-10T09:60:00.5Z', '2026-03-10T09:00:61Z', '2026-03-10T09:00:05.Z', '2026-03-1OT09:00:05Z', '']) {
      expect(isoTimeMs(t)).toBeNull();
    }
  });

  it('still reads zones and spaces through the general form', () => {
    expect(isoTimeMs('2026-03-10T10:00:05+01:00')).toBe(Date.parse('2026-03-10T09:00:05Z'));
    expect(isoTimeMs('2026-03-10 09:00:05.250Z')).toBe(Date.parse('2026-03-10T09:00:05.250Z'));
  });
});
