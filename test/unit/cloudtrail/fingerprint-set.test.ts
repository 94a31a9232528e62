import { describe, expect, it } from 'vitest';
import { FingerprintSet, fingerprint, fingerprintOf } from '../../../electron/core/cloudtrail/analyse/fingerprint';
import { GrowableFloat64 } from '../../../electron/core/cloudtrail/analyse/growable';

describe('FingerprintSet', () => {
  it('keeps every distinct fingerprint through many growths and recognises each again', () => {
    const set = new FingerprintSet();
    const n = 200_000;
    let refused = 0;
    for (let i = 0; i < n; i++) {
      const [hi, lo] = fingerprint(`event-${i}`);
      if (!set.add(hi, lo)) refused++;
    }
    expect(refused).toBe(0);
    expect(set.size).toBe(n);
    let accepted = 0;
    for (let i = 0; i < n; i += 7) {
      const [hi, lo] = fingerprint(`event-${i}`);
      if (set.add(hi, lo)) accepted++;
    }
    expect(accepted).toBe(0);
    expect(set.size).toBe(n);
    // Slots of 8 bytes, at most a quarter empty after a growth by half.
    expect(set.bytes).toBeLessThan(n * 8 * 2.2);
  });

  it('tells apart fingerprints that differ in any single bit, including those that pick the same table', () => {
    const set = new FingerprintSet();
    const hi = 0x12345678 | 0;
    const lo = 0x9abcdef0 | 0;
    expect(set.add(hi, lo)).toBe(true);
    for (let b = 0; b < 32; b++) {
      expect(set.add(hi ^ (1 << b), lo)).toBe(true);
      expect(set.add(hi, lo ^ (1 << b))).toBe(true);
    }
    expect(set.size).toBe(65);
    expect(set.add(hi, lo)).toBe(false);
    // The extremes of each half: the stored 52 bits plus one must stay exact doubles.
    for (const [h, l] of [[-1, -1], [0, 1], [0xfffff, -1], [-1 << 20, 0]] as const) {
      expect(set.add(h, l)).toBe(true);
      expect(set.add(h, l)).toBe(false);
    }
  });
});

describe('GrowableFloat64', () => {
  it('keeps values across chunks and sorts them all, also after more pushes', () => {
    const g = new GrowableFloat64();
    const n = 300_000;
    for (let i = 0; i < n; i++) g.push((i * 7919) % n);
    expect(g.length).toBe(n);
    const s = g.sorted();
    expect(s.length).toBe(n);
    for (let i = 0; i < n; i++) if (s[i] !== i) expect(s[i]).toBe(i);
    g.push(-1);
    g.push(n);
    const t = g.sorted();
    expect(t.length).toBe(n + 2);
    expect([t[0], t[1], t[n + 1]]).toEqual([-1, 0, n]);
    // At most one chunk (64 Ki values) beyond what is held.
    expect(g.bytes).toBeLessThanOrEqual((n + 2 + 65536) * 8);
  });

});

describe('fingerprintOf', () => {
  it('fingerprints a key given in parts as the joined key, however it is split', () => {
    const keys = ['gcp|ins42|2026-03-10T00:00:00.150123Z', 'azure|c0ffee00/Start/2026-03-10T00:00:00.1501234Z', 'aws|', 'é→𝄞|ü', 'x', ''];
    for (const key of keys) {
      const whole = fingerprint(key);
      for (let i = 0; i <= key.length; i++) {
        expect(fingerprintOf(key.slice(0, i), [key.slice(i)])).toEqual(whole);
        expect(fingerprintOf('', [key.slice(0, i), key.slice(i)])).toEqual(whole);
        for (let j = i; j <= key.length; j++) {
          expect(fingerprintOf(key.slice(0, i), [key.slice(i, j), key.slice(j)])).toEqual(whole);
          for (let k = j; k <= key.length; k++) expect(fingerprintOf(key.slice(0, i), [key.slice(i, j), '', key.slice(j, k), key.slice(k)])).toEqual(whole);
        }
      }
    }
    expect(fingerprintOf(keys[0] as string, [])).toEqual(fingerprint(keys[0] as string));
    expect(fingerprintOf('gcp|', ['a', '|', 'b'])).not.toEqual(fingerprintOf('gcp|', ['a|', 'bb']));
  });
});
