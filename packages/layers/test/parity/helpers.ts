/**
 * Helpers of the peer-parity tests (translations of the Keras 3 and tfjs-layers suites):
 * read a tensor's values, compare them with a peer's expected numbers, and check that a
 * test leaves no tensor behind.
 *
 * ```ts
 * expectValues(layer.apply(x), [[10, 0]]);   // disposes the tensor it reads
 * ```
 */
import { type Tensor, tf } from '@tessera/core';
import { expect } from 'vitest';

/** Nested numbers, as the peers write expected values. */
export type Nested = number | Nested[];

function flatten(value: Nested): number[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

/** The values of `t` as numbers; disposes `t`. */
export function values(t: Tensor): number[] {
  const out = Array.from(t.dataSync(), Number);
  t.dispose();
  return out;
}

/** The single value of a scalar `t`; disposes `t`. */
export function scalar(t: Tensor): number {
  return values(t)[0] as number;
}

/**
 * Expects `actual` (a tensor, disposed here, or numbers) to equal `expected` within
 * `atol + rtol·|expected|` per element (the peers' assertAllClose defaults: 1e-6 both;
 * float32 results get 1e-5 here unless told).
 */
export function expectValues(
  actual: Tensor | readonly number[] | Float32Array,
  expected: Nested,
  tol: { atol?: number; rtol?: number } = {},
): void {
  const got = actual instanceof tf.Tensor ? values(actual) : Array.from(actual, Number);
  const want = flatten(expected);
  expect(got.length).toBe(want.length);
  const atol = tol.atol ?? 1e-5;
  const rtol = tol.rtol ?? 1e-5;
  want.forEach((w, i) => {
    const g = got[i] as number;
    if (Number.isNaN(w)) {
      expect(g).toBeNaN();
    } else if (!Number.isFinite(w)) {
      expect(g).toBe(w);
    } else if (Math.abs(g - w) > atol + rtol * Math.abs(w)) {
      throw new Error(`element ${i}: got ${g}, expected ${w} (got ${JSON.stringify(got)})`);
    }
  });
}

/** Runs `run` and expects it to leave no tensor behind. */
export async function expectNoLeak(run: () => unknown): Promise<void> {
  const before = tf.memory().numTensors;
  await run();
  expect(tf.memory().numTensors).toBe(before);
}
