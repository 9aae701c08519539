/**
 * Finite-difference gradient checks. Public because users who write a custom
 * activation or layer want the same check we run on ours.
 *
 * ```ts
 * const report = checkGradients((x) => tf.sum(tf.mul(x, x)), [tf.tensor([1, 2])]);
 * report.maxError; // ~0: analytic 2x matches the central difference
 * ```
 */
import { received, ValueError } from './errors.js';
import type { Tensor } from './tf.js';
import { tf } from './tf.js';

export interface GradientCheckOptions {
  /** Step of the central difference (default 1e-3: float32 needs a large step). */
  epsilon?: number;
  /** Relative tolerance of each component (default 2e-2). */
  rtol?: number;
  /** Absolute tolerance of each component (default 2e-3). */
  atol?: number;
}

export interface GradientCheckReport {
  ok: boolean;
  /** Largest |analytic - numeric| - (atol + rtol·|numeric|) seen; ≤ 0 means within tolerance. */
  maxError: number;
  analytic: Float32Array[];
  numeric: Float64Array[];
  /** First component out of tolerance, if any. */
  worst?: { input: number; index: number; analytic: number; numeric: number };
}

/** Sum of the function's output as a float64 number (the check differentiates this sum). */
function evalSum(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): number {
  return tf.tidy(() => {
    const y = f(...inputs);
    const data = y.dataSync();
    let s = 0;
    for (let i = 0; i < data.length; i++) s += data[i] ?? 0;
    return s;
  });
}

/** Central-difference gradients of sum(f(...inputs)) with respect to every input. */
export function numericGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  epsilon = 1e-3,
): Float64Array[] {
  const values = inputs.map((x) => Float32Array.from(x.dataSync()));
  return inputs.map((x, which) => {
    const grad = new Float64Array(x.size);
    const base = values[which]!;
    for (let i = 0; i < x.size; i++) {
      const at = (delta: number): number => {
        const moved = base.slice();
        moved[i] = (base[i] ?? 0) + delta;
        const args = inputs.map((t, k) => (k === which ? tf.tensor(moved, t.shape, 'float32') : t));
        const out = evalSum(f, args);
        args[which]!.dispose();
        return out;
      };
      grad[i] = (at(epsilon) - at(-epsilon)) / (2 * epsilon);
    }
    return grad;
  });
}

/** Compares tf.grads of sum(f(...inputs)) with central differences. Disposes what it makes. */
export function checkGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradientCheckOptions = {},
): GradientCheckReport {
  const { epsilon = 1e-3, rtol = 2e-2, atol = 2e-3 } = options;
  if (inputs.length === 0)
    throw new ValueError(received('checkGradients: needs at least one input', 'inputs', []));
  for (const x of inputs) {
    if (x.dtype !== 'float32') {
      throw new ValueError(received('checkGradients: inputs must be float32', 'dtype', x.dtype));
    }
  }
  const analytic = tf.tidy(() => {
    const grads = tf.grads((...xs: Tensor[]) => tf.sum(f(...xs)))(inputs);
    return grads.map((g) => Float32Array.from(g.dataSync()));
  });
  const numeric = numericGradients(f, inputs, epsilon);
  let maxError = Number.NEGATIVE_INFINITY;
  let worst: GradientCheckReport['worst'];
  analytic.forEach((a, input) => {
    const n = numeric[input]!;
    for (let index = 0; index < a.length; index++) {
      const an = a[index]!;
      const nu = n[index]!;
      const err = Math.abs(an - nu) - (atol + rtol * Math.abs(nu));
      if (err > maxError || Number.isNaN(err)) {
        maxError = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
        if (err > 0 || Number.isNaN(err)) worst = { input, index, analytic: an, numeric: nu };
      }
    }
  });
  const report: GradientCheckReport = { ok: maxError <= 0, maxError, analytic, numeric };
  if (worst !== undefined) report.worst = worst;
  return report;
}
