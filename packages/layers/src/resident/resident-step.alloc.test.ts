import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { oneHot, sparseBytes } from '../testing/resident-data.js';
import { mnistLikeHarness } from '../testing/resident-harness.js';

// In a file of its own: the steady state of one model's step, as a worker runs it, not
// code made polymorphic by the other tests' models.
describe('ResidentStep does not allocate per step', () => {
  it('1,000 steps: no garbage collection and a flat heap', async () => {
    const rows = 64;
    const bytes = sparseBytes(512, 64, 8);
    const h = mnistLikeHarness(bytes, { maxRows: rows, sparse: true });
    h.step.targetView.set(oneHot(rows, 10, 3));
    const phase1 = {
      examples: h.examplesAt,
      rows,
      at: 0,
      params: h.params,
      scale: 1,
      rng: undefined,
    };
    const phase2 = { examples: h.examplesAt, rows, start: 0, end: h.store.length };
    const run = (steps: number) => {
      for (let s = 0; s < steps; s++) {
        for (let r = 0; r < rows; r++) h.examples[r] = (s * 7 + r * 3) % 512;
        h.step.forwardBackward(phase1);
        h.step.sliceGradient(phase2);
      }
    };
    run(500); // past the tiers that still box numbers: the steady state is what trains
    // Start the window with an empty young generation, so any collection in it is ours.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    let collections = 0;
    const observer = new PerformanceObserver((list) => {
      collections += list.getEntries().length;
    });
    observer.observe({ entryTypes: ['gc'] });
    const newSpace = () =>
      getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')!.space_used_size;
    const before = { young: newSpace(), arrayBuffers: process.memoryUsage().arrayBuffers };
    run(1000);
    const after = { young: newSpace(), arrayBuffers: process.memoryUsage().arrayBuffers };
    await new Promise((resolve) => setTimeout(resolve, 20));
    observer.disconnect();
    // Without a collection in between, the young generation's growth is what the steps
    // allocated (compiled code goes elsewhere): no
    // typed array, tensor or closure (each hundreds of bytes), at most a few boxed numbers
    // (measured: 30–70 bytes a step), so an epoch never fills the young generation.
    expect(collections).toBe(0);
    expect(after.young - before.young).toBeLessThan(128 * 1000);
    // Never more: a buffer made per step would add up. (Less happens: a buffer freed from
    // before the window, without a collection of ours, was seen on a loaded machine.)
    expect(after.arrayBuffers).toBeLessThanOrEqual(before.arrayBuffers);
  });
});
