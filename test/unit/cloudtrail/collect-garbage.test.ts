import { describe, expect, it } from 'vitest';
import { collectAfter } from '../../../electron/core/cloudtrail/analyse/collect-garbage';

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
});
