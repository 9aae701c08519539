import { describe, expect, it } from 'vitest';
import { lossAndGradient } from './loss-math.js';
import type { PlannedLoss } from './plan-types.js';

const EPSILON = 1e-7;
const categorical: PlannedLoss = { kind: 'crossentropy', sparse: false, epsilon: EPSILON };
const sparse: PlannedLoss = { kind: 'crossentropy', sparse: true, epsilon: EPSILON };

function run(loss: PlannedLoss, p: number[], y: number[], rows: number, scale = 1) {
  const width = p.length / rows;
  const grad = new Float32Array(p.length);
  const out = new Float64Array(1);
  lossAndGradient(loss, Float32Array.from(p), Float32Array.from(y), grad, rows, width, scale, out);
  return { loss: out[0]!, grad: Array.from(grad) };
}

/** The same crossentropy with a log for every class (zero targets included), in float32 steps. */
function everyClassLog(p: Float32Array, y: Float32Array, rows: number, width: number): number {
  const clip = (q: number) => Math.fround(q > 1 - EPSILON ? 1 - EPSILON : Math.max(q, EPSILON));
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < width; j++) s += p[r * width + j]!;
    s = Math.fround(s);
    let sum = 0;
    for (let j = 0; j < width; j++) {
      const q = Math.fround(p[r * width + j]! / s);
      sum += Math.fround(y[r * width + j]! * Math.fround(Math.log(clip(q))));
    }
    total += Math.fround(-Math.fround(sum) / rows);
  }
  return total;
}

describe('resident crossentropy (loss-math)', () => {
  it('worked by hand: p = [0.2, 0.3, 0.5], class 2 → −log 0.5, gradient [1, 1, −1]·scale', () => {
    for (const [loss, y] of [
      [categorical, [0, 0, 1]],
      [sparse, [2]],
    ] as const) {
      const { loss: value, grad } = run(loss, [0.2, 0.3, 0.5], [...y], 1, 0.5);
      expect(value).toBeCloseTo(Math.log(2), 6);
      // d/dp_j of −log(p_2 / Σp) = −δ_j2 / p_2 + 1 / Σp, times the scale.
      expect(grad[0]).toBeCloseTo(0.5, 5);
      expect(grad[1]).toBeCloseTo(0.5, 5);
      expect(grad[2]).toBeCloseTo(-0.5, 5);
    }
  });

  it('is the sum with a log for every class, to the bit (one-hot, soft and all-zero targets)', () => {
    const rows = 6;
    const width = 10;
    let seed = 3;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const p = new Float32Array(rows * width);
    for (let i = 0; i < p.length; i++) p[i] = next() < 0.1 ? 0 : next();
    const y = new Float32Array(rows * width);
    y[0 * width + 3] = 1;
    y[1 * width + 0] = 1;
    y[2 * width + 9] = 1;
    y[3 * width + 1] = 0.25; // soft labels
    y[3 * width + 7] = 0.75;
    y[4 * width + 5] = -0; // a row of zeros (one of them −0)
    y[5 * width + 2] = 1;
    p[5 * width + 2] = 0; // the target's probability clipped to ε
    const { loss } = run(categorical, Array.from(p), Array.from(y), rows);
    expect(Object.is(loss, everyClassLog(p, y, rows, width))).toBe(true);
  });

  it('binary crossentropy clips a saturated output as tfjs does (float32 1 − ε)', () => {
    // p = 1 exactly with target 0: tfjs clips to float32(1 − 1e-7) = 1 − 2^-23 (1 − q is
    // 1.1920929e-7, not 1e-7), so the loss is −log(2^-23) = 23·ln 2 ≈ 15.942385; p = 0 with
    // target 1 clips to float32(1e-7): −log(1e-7 as float32).
    const binary: PlannedLoss = { kind: 'binary_crossentropy', epsilon: EPSILON };
    const saturated = run(binary, [1], [0], 1);
    expect(saturated.loss).toBeCloseTo(23 * Math.LN2, 12);
    const empty = run(binary, [0], [1], 1);
    expect(empty.loss).toBeCloseTo(-Math.log(Math.fround(1e-7)), 12);
    // Outside [ε, 1 − ε] the clip passes no gradient.
    expect(saturated.grad).toEqual([0]);
  });

  it('a NaN probability makes the loss NaN, also in a row whose targets are all zero', () => {
    expect(run(categorical, [0.5, Number.NaN, 0.5], [1, 0, 0], 1).loss).toBeNaN();
    expect(run(categorical, [0.5, Number.NaN, 0.5], [0, 0, 0], 1).loss).toBeNaN();
    expect(run(sparse, [0.5, 0.25, Number.NaN], [0], 1).loss).toBeNaN();
  });
});
