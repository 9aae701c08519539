/**
 * The checks every elementwise activation's test runs: values against a float64 reference,
 * finite-difference gradients, and no tensor leaks. Each test file gives its own points.
 *
 * ```ts
 * const { expectMatches, expectGradientOk, expectNoLeak } = activationChecks({
 *   points: [-10, -1, 0, 1, 10],
 *   smoothPoints: [-1.2, 0.6, 2.9],
 * });
 * expectMatches(relu, (x) => Math.max(x, 0));
 * ```
 */
import { checkGradients, type Tensor, tf } from '@tessera/core';
import { expect } from 'vitest';
import { expectNoTensorLeak } from './tensor-checks.js';

/** The default points of an activation test file. */
export interface ActivationCheckPoints {
  /** Where values are compared (negatives, zero, large magnitudes). */
  points: number[];
  /** Where gradients are checked (away from every kink). */
  smoothPoints: number[];
}

/** The three checks, with `points` and `smoothPoints` as their default inputs. */
export interface ActivationChecks {
  /** Expects `fn` at `xs` within `1e-6 + rtol·|want|` of the float64 `reference`. */
  expectMatches(
    fn: (x: Tensor) => Tensor,
    reference: (x: number) => number,
    xs?: number[],
    rtol?: number,
  ): void;
  /** Expects the gradients of `fn` at `xs` to match finite differences. */
  expectGradientOk(fn: (x: Tensor) => Tensor, xs?: number[]): void;
  /** Expects `fn` on a small matrix to leave no tensor behind. */
  expectNoLeak(fn: (x: Tensor) => Tensor): void;
}

/** The activation checks with a test file's own default points. */
export function activationChecks(defaults: ActivationCheckPoints): ActivationChecks {
  return {
    expectMatches(fn, reference, xs = defaults.points, rtol = 1e-5) {
      const got = tf.tidy(() => Array.from(fn(tf.tensor1d(xs)).dataSync()));
      xs.forEach((x, i) => {
        const want = reference(x);
        const diff = Math.abs((got[i] ?? Number.NaN) - want);
        expect(diff, `at x=${x}: got ${got[i]}, want ${want}`).toBeLessThanOrEqual(
          1e-6 + rtol * Math.abs(want),
        );
      });
    },
    expectGradientOk(fn, xs = defaults.smoothPoints) {
      const x = tf.tensor1d(xs);
      const report = checkGradients(fn, [x]);
      x.dispose();
      expect(report.worst, JSON.stringify(report.worst)).toBeUndefined();
      expect(report.ok).toBe(true);
    },
    expectNoLeak(fn) {
      const x = tf.tensor2d([
        [-2, -0.5, 0],
        [0.5, 3, 8],
      ]);
      expectNoTensorLeak(() => fn(x).dispose());
      x.dispose();
    },
  };
}
