/**
 * Shared setup for the optimizer tests: a fixed start point, a fixed run of gradients, a
 * tolerance check against float64 references, and a loop that applies the gradients.
 *
 * ```ts
 * const { history, slots } = runSteps(new SGD({ momentum: 0.9 }));
 * history.forEach((p, step) => expectClose(p, reference.history[step]!));
 * ```
 */
import { expect } from 'vitest';
import type { Optimizer } from '../optimizers/optimizer.js';
import { createSlots } from '../optimizers/slots.js';

/** The parameters every optimizer test starts from. */
export const P0 = [0.5, -1.2, 2.0, 0.0, -0.3];

/** Three steps of gradients, one row per step, one column per parameter of {@link P0}. */
export const GRADS = [
  [0.1, -0.4, 1.5, 0.0, -2.0],
  [0.3, 0.2, -1.0, 0.5, -0.1],
  [-0.2, -0.6, 0.8, 0.05, 1.2],
];

/** |actual - expected| ≤ 1e-6·|expected| + 1e-9 for every element. */
export function expectClose(actual: Float32Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (Math.abs(a - e) > 1e-6 * Math.abs(e) + 1e-9) {
      throw new Error(`element ${i}: got ${a}, expected ${e}`);
    }
  });
}

/**
 * Applies `grads` (one row a step, iterations 1, 2, …) to a copy of {@link P0} with fresh
 * slots; returns the parameters after every step and the final slots.
 */
export function runSteps(
  opt: Optimizer,
  grads: number[][] = GRADS,
): { history: Float32Array[]; slots: Float32Array[] } {
  const params = Float32Array.from(P0);
  const slots = createSlots(opt, params.length);
  const history: Float32Array[] = [];
  grads.forEach((g, step) => {
    opt.applyUpdate({ params, grads: Float32Array.from(g), slots, iteration: step + 1 });
    history.push(params.slice());
  });
  return { history, slots };
}
