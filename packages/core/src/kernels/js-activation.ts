/**
 * Fused-matmul activations applied in place to row-major output in plain JS, with the
 * formulas of tfjs's cpu kernels (the float64 result rounded to float32 on store).
 */
import type { FusedActivation } from './gemm-problem.js';

/** What {@link applyActivationInPlace} applies. */
export interface ActivationArgs {
  /** Columns of each output row (the length of `preluWeights`). */
  n: number;
  /** The activation. */
  activation: FusedActivation;
  /** Slope of 'leakyrelu' for negative inputs. */
  leakyreluAlpha: number;
  /** n per-column slopes, used by 'prelu'. */
  preluWeights: Float32Array | null;
}

/** Applies `args.activation` to every element of `values`, in place. */
export function applyActivationInPlace(values: Float32Array, args: ActivationArgs): void {
  const len = values.length;
  switch (args.activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < len; i++) {
        const x = values[i]!;
        if (x < 0) values[i] = 0;
      }
      return;
    case 'relu6':
      for (let i = 0; i < len; i++) {
        const x = values[i]!;
        if (x < 0) values[i] = 0;
        else if (x > 6) values[i] = 6;
      }
      return;
    case 'leakyrelu': {
      const alpha = args.leakyreluAlpha;
      for (let i = 0; i < len; i++) {
        const x = values[i]!;
        if (x < 0) values[i] = alpha * x;
      }
      return;
    }
    case 'prelu': {
      const w = args.preluWeights!;
      const n = args.n;
      for (let i = 0; i < len; i++) {
        const x = values[i]!;
        if (x < 0) values[i] = w[i % n]! * x;
      }
      return;
    }
    case 'elu':
      for (let i = 0; i < len; i++) {
        const x = values[i]!;
        if (!(x >= 0)) values[i] = Math.exp(x) - 1;
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) values[i] = 1 / (1 + Math.exp(-values[i]!));
      return;
  }
}
