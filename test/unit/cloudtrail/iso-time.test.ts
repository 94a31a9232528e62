import { describe, expect, it } from 'vitest';
import { isoTimeMs, isoTimeMsBytes } from '../../../electron/core/cloudtrail/import/normalize';

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

  it('reads every fraction length and day, back and forth between days, as Date.parse does to the millisecond', () => {
    let seed = 5;
    const next = (n: number) => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) % n);
    const pad = (v: number, w: number) => String(v).padStart(w, '0');
    for (let k = 0; k < 3000; k++) {
      // Days alternate among a few (the reader remembers the last one), months and leap days included.
      const day = `${[1999, 2024, 2025, 2026][next(4)]}-${pad(1 + next(12), 2)}-${pad(1 + next(31), 2)}`;
      const digits = next(13);
      const fraction = digits ? `.${Array.from({ length: digits }, () => next(10)).join('')}` : '';
      const t = `${day}T${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}${fraction}Z`;
      const exists = !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
      const want = exists ? Date.parse(t.replace(/\.(\d{1,3})\d*Z$/, (_, ms: string) => `.${ms.padEnd(3, '0')}Z`)) : null;
      expect(isoTimeMs(t), t).toBe(want);
    }
  });

  it('still reads zones and spaces through the general form', () => {
    expect(isoTimeMs('2026-03-10T10:00:05+01:00')).toBe(Date.parse('2026-03-10T09:00:05Z'));
    expect(isoTimeMs('2026-03-10 09:00:05.250Z')).toBe(Date.parse('2026-03-10T09:00:05.250Z'));
  });
});

describe('isoTimeMsBytes', () => {
  it('reads the common form from ASCII bytes as isoTimeMs reads the string, and leaves every other form to it', () => {
    const times = ['2026-03-10T09:00:05Z', '2026-03-10T09:00:05.1Z', '2026-03-10T09:00:05.123456789Z', '2026-03-10T09:00:05.1234567891Z', '2024-02-29T23:59:59.999Z', '2025-02-29T00:00:00Z'];
    times.push('2026-03-10T24:00:00Z', '2026-03-10T09:60:00.5Z', '2026-03-10T09:00:05.Z', '2026-03-1OT09:00:05Z', '2026-03-10T09:00:05+00:00', '2026-03-10 09:00:05Z', '', 'yesterday');
    let seed = 9;
    const next = (n: number) => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) % n);
    for (let i = 0; i < 2000; i++) {
      const t = new Date(Date.UTC(1990 + next(60), next(12), 1 + next(31), next(24), next(60), next(60), next(1000))).toISOString();
      times.push(next(3) === 0 ? t.replace('Z', `${next(1_000_000)}Z`) : t);
    }
    let read = 0;
    for (const t of times) {
      // Inside a larger buffer, as a line holds it.
      const buf = Buffer.from(`"${t}",`, 'latin1');
      const ms = isoTimeMsBytes(buf, 1, 1 + t.length);
      if (ms === undefined) continue;
      read++;
      expect(ms).toBe(isoTimeMs(t));
    }
    expect(read).toBeGreaterThan(2000);
    expect(isoTimeMsBytes(Buffer.from('2026-03-10T09:00:05+00:00'), 0, 25)).toBeUndefined();
    expect(isoTimeMsBytes(Buffer.from('2025-02-29T00:00:00Z'), 0, 20)).toBeNull();
  });
});
