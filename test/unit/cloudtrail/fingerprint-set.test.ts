import { describe, expect, it } from 'vitest';
import { FingerprintSet, fingerprint, fingerprintOf, keyBytes, keyFinish, keyStart, keyString } from '../../../electron/core/cloudtrail/analyse/fingerprint';
import { GrowableFloat64, SortedValues } from '../../../electron/core/cloudtrail/analyse/growable';

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
  it('keeps values across chunks and reads them all in order, also after more pushes', () => {
    const g = new GrowableFloat64();
    const n = 300_000;
    for (let i = 0; i < n; i++) g.push((i * 7919) % n);
    expect(g.length).toBe(n);
    const s = g.sorted();
    expect(s.length).toBe(n);
    const a = s.toArray();
    for (let i = 0; i < n; i++) if (a[i] !== i) expect(a[i]).toBe(i);
    expect([s.first(), s.last()]).toEqual([0, n - 1]);
    g.push(-1);
    g.push(n);
    const t = g.sorted().toArray();
    expect(t.length).toBe(n + 2);
    expect([t[0], t[1], t[n + 1]]).toEqual([-1, 0, n]);
    // At most one chunk (64 Ki values) beyond what is held: sorting copies nothing.
    expect(g.bytes).toBeLessThanOrEqual((n + 2 + 65536) * 8);
  });
});

describe('GrowableFloat64, a list of a few chunks', () => {
  it('is joined into one sorted array, and keeps taking values after', () => {
    const g = new GrowableFloat64();
    const n = 150_000;
    for (let i = 0; i < n; i++) g.push((i * 7919) % n);
    const s = g.sorted();
    const one = s.single();
    expect(one?.length).toBe(n);
    for (let i = 0; i < n; i++) if (one?.[i] !== i) expect(one?.[i]).toBe(i);
    // More values after the join: the joined array is kept whole and new chunks follow it.
    for (let i = 0; i < 200_000; i++) g.push(n + ((i * 7919) % 200_000));
    const t = g.sorted();
    expect(t.single()).toBeNull();
    const all = t.toArray();
    expect(all.length).toBe(n + 200_000);
    for (let i = 0; i < all.length; i++) if (all[i] !== i) expect(all[i]).toBe(i);
    expect(g.bytes).toBeLessThanOrEqual((n + 200_000 + 65536) * 8);
  });
});

describe('SortedValues', () => {
  /** A seeded generator, so a failure can be run again. */
  const rand = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

  it('merges any number of runs, with ties, gaps and empty runs, into one ascending sequence', () => {
    const r = rand(7);
    for (const runCount of [0, 1, 2, 3, 5, 8, 62, 100]) {
      const runs: Float64Array[] = [];
      const all: number[] = [];
      for (let k = 0; k < runCount; k++) {
        // Some runs empty, some of one value, values repeating within and across runs.
        const len = k % 7 === 3 ? 0 : k % 5 === 1 ? 1 : Math.floor(r() * 300);
        const run = Float64Array.from({ length: len }, () => Math.floor(r() * 200) * 1048576 + Math.floor(r() * 16));
        run.sort();
        runs.push(run);
        all.push(...run);
      }
      const values = new SortedValues(runs);
      expect(values.length).toBe(all.length);
      const expected = all.sort((x, y) => x - y);
      expect([...values.toArray()]).toEqual(expected);
      expect(values.first()).toBe(expected[0]);
      expect(values.last()).toBe(expected[expected.length - 1]);
      // Cursors are independent: two read the same values side by side.
      const c1 = values.cursor();
      const c2 = values.cursor();
      for (let i = 0; i < expected.length; i++) {
        expect(c1.next()).toBe(expected[i]);
        if (i % 2) expect(c2.next()).toBe(expected[(i - 1) >> 1]);
      }
      expect(c1.next()).toBeNaN();
    }
  });

  it('reads a single run straight through and stops with NaN', () => {
    const v = SortedValues.of(Float64Array.from([1, 2, 2, 9]));
    const c = v.cursor();
    expect([c.next(), c.next(), c.next(), c.next()]).toEqual([1, 2, 2, 9]);
    expect(c.next()).toBeNaN();
    expect(new SortedValues([]).cursor().next()).toBeNaN();
    expect(new SortedValues([]).first()).toBeUndefined();
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

describe('a key fingerprinted part by part', () => {
  it('is fingerprintOf of its parts, strings and ASCII bytes alike', () => {
    const bytes = Buffer.from('..insert-42..2026-03-10T09:00:05.123Z..');
    keyStart(4 + 9 + 1 + 24);
    keyString('gcp|');
    expect(keyBytes(bytes, 2, 11)).toBe(true);
    keyString('|');
    expect(keyBytes(bytes, 13, 37)).toBe(true);
    expect(keyFinish()).toEqual(fingerprintOf('gcp|', ['insert-42', '|', '2026-03-10T09:00:05.123Z']));
  });

  it('refuses bytes outside ASCII, whose code units are not their bytes', () => {
    const bytes = Buffer.from('id-é');
    keyStart(bytes.length);
    expect(keyBytes(bytes, 0, bytes.length)).toBe(false);
  });
});
