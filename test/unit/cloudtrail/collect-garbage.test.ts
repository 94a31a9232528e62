import { describe, expect, it } from 'vitest';
import { ConsumedCollector, collectAfter } from '../../../electron/core/cloudtrail/analyse/collect-garbage';

describe('collectAfter', () => {
  it('collects once 50,000 records have been reported, across batches, when the thread holds many buffers', async () => {
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ values: new Array<number>(10_000).fill(1) });
    })();
    // A WeakRef keeps its target alive until the current task ends.
    await new Promise((r) => setTimeout(r, 0));
    const held = new Uint8Array(24 * 1024 * 1024).fill(1);
    collectAfter(8192);
    collectAfter(41_808);
    expect(ref?.deref()).toBeUndefined();
    expect(held[held.length - 1]).toBe(1);
  });

  it('collects on the consuming thread once 100,000 records were consumed and its heap grew by over 16 MB', async () => {
    const collector = new ConsumedCollector();
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ values: new Array<number>(10_000).fill(1) });
    })();
    await new Promise((r) => setTimeout(r, 0));
    // Some 24 MB of live objects: the heap grows past the mark.
    const held = Array.from({ length: 300_000 }, (_, i) => ({ i, name: `row ${i}` }));
    collector.after(60_000);
    collector.after(40_000);
    expect(ref?.deref()).toBeUndefined();
    expect(held.at(-1)?.i).toBe(299_999);
  });

  it('counts the growth from the scan it was made for, not from an empty heap', async () => {
    // A heap that already holds over 16 MB when the scan starts (a process with its code loaded holds 10 to 20 MB).
    const before = Array.from({ length: 300_000 }, (_, i) => ({ i, name: `row ${i}` }));
    const collector = new ConsumedCollector();
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ values: new Array<number>(10_000).fill(1) });
    })();
    await new Promise((r) => setTimeout(r, 0));
    // 100,000 records consumed with little growth: no collection, so the dead object is still there.
    collector.after(100_000);
    expect(ref?.deref()).toBeDefined();
    expect(before.at(-1)?.i).toBe(299_999);
  });
});
