import { PARAMETER_ALIGNMENT, Rng } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { denseFloats, oneHot, sparseBytes } from '../testing/resident-data.js';
import { mnistLikeHarness } from '../testing/resident-harness.js';

/**
 * The trainer moves the boundaries of the update phase's chunks from step to step
 * (trainer's update-balance.ts): a parameter's gradient must not depend on which slice
 * holds it, to the last bit.
 */
describe('ResidentStep.sliceGradient: any cut gives the same bits', () => {
  for (const sparse of [true, false]) {
    it(`${sparse ? 'compressed' : 'dense'} input rows, random block-aligned cuts`, () => {
      const rows = 40;
      const features = sparse ? sparseBytes(rows, 64, 5) : denseFloats(rows, 64, 5);
      const h = mnistLikeHarness(features, { maxRows: rows, sparse });
      if (!sparse) h.step.inputRows(0, rows).set(features as Float32Array);
      h.step.targetView.set(oneHot(rows, 10, 2));
      for (let r = 0; r < rows; r++) h.examples[r] = (r * 7) % rows;
      const length = h.store.length;
      const buffer = h.kernels.memory.buffer;
      // The whole vector in one slice, as one worker computes it.
      const whole = h.gradients(rows, 1).slice();
      expect(whole.some((g) => g !== 0)).toBe(true);
      const blocks = Math.ceil(length / PARAMETER_ALIGNMENT);
      const rng = new Rng(11).stream('cuts');
      for (let trial = 0; trial < 12; trial++) {
        // 1 to 5 cuts anywhere on block boundaries (inside a kernel, a bias, between layers).
        const cuts = Array.from({ length: 1 + Math.floor(rng.next() * 5) }, () =>
          Math.floor(rng.next() * blocks),
        ).sort((a, b) => a - b);
        const bounds = [0, ...cuts.map((b) => b * PARAMETER_ALIGNMENT), length];
        const pieced = new Float32Array(length);
        for (let i = 0; i + 1 < bounds.length; i++) {
          const start = bounds[i]!;
          const end = Math.min(length, bounds[i + 1]!);
          if (end <= start) continue;
          const g = h.step.sliceGradient({ examples: h.examplesAt, rows, start, end });
          pieced.set(new Float32Array(buffer, g + start * 4, end - start), start);
        }
        for (let i = 0; i < length; i++) {
          if (!Object.is(pieced[i], whole[i])) {
            throw new Error(
              `cut at ${bounds.join(', ')}: parameter ${i} is ${pieced[i]} in a slice, ${whole[i]} whole`,
            );
          }
        }
      }
    });
  }

  it('compressed rows read ahead (several workers): the same bits as without', () => {
    const rows = 40;
    const features = sparseBytes(rows, 64, 9);
    let weights: Float32Array | undefined;
    const whole = [false, true].map((readRowsAhead) => {
      const h = mnistLikeHarness(features, { maxRows: rows, sparse: true, readRowsAhead });
      // The same weights in both (each harness builds its model with fresh ones).
      const params = new Float32Array(h.kernels.memory.buffer, h.params, h.store.length);
      if (weights === undefined) weights = params.slice();
      else params.set(weights);
      h.step.targetView.set(oneHot(rows, 10, 4));
      for (let r = 0; r < rows; r++) h.examples[r] = (r * 11) % rows;
      return h.gradients(rows, 1).slice();
    });
    expect(whole[0]!.some((g) => g !== 0)).toBe(true);
    for (let i = 0; i < whole[0]!.length; i++) {
      if (!Object.is(whole[0]![i], whole[1]![i])) {
        throw new Error(`parameter ${i}: ${whole[1]![i]} read ahead, ${whole[0]![i]} without`);
      }
    }
  });
});
