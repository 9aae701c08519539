/**
 * Softmax over the last axis of float32 rows, in one pass per row, and its gradient.
 *
 * tfjs-backend-cpu's `Softmax` runs max, subtract, exp, sum and divide as separate
 * kernels with generic broadcasting. These loops perform the same float32 steps in the
 * same order — m = max (NaN wins), e = exp(x - m), s = Σe accumulated in float64 and
 * stored as float32, p = e / s — so results are bitwise those of tfjs, only without the
 * intermediate tensors. The gradient mirrors tfjs's `Softmax` gradient the same way:
 * dx = dy·y - (Σ dy·y)·y.
 */
import type { KernelFunc } from '../../vendor/tfjs.js';
import { attrOf, type CpuBackend, float32Values, inputOf } from './cpu-backend.js';

/** Softmax of each row of `columns` values of `x` into `out` (may be the same array). */
export function softmaxRows(x: Float32Array, out: Float32Array, columns: number): void {
  for (let start = 0; start < x.length; start += columns) {
    const end = start + columns;
    let max = x[start]!;
    for (let j = start; j < end; j++) {
      const v = x[j]!;
      if (Number.isNaN(v) || v > max) max = v;
    }
    let sum = 0;
    for (let j = start; j < end; j++) {
      const e = Math.fround(Math.exp(Math.fround(x[j]! - max)));
      out[j] = e;
      sum += e;
    }
    const total = Math.fround(sum);
    for (let j = start; j < end; j++) out[j] = out[j]! / total;
  }
}

/**
 * Gradient of a row-wise softmax with output `y`: dx = dy·y - (Σ dy·y)·y per row, each
 * product and difference rounded to float32 as tfjs's gradient (mul, sum, mul, sub) does.
 */
export function softmaxGradRows(dy: Float32Array, y: Float32Array, columns: number): Float32Array {
  const dx = new Float32Array(y.length);
  for (let start = 0; start < y.length; start += columns) {
    const end = start + columns;
    let sum = 0;
    for (let j = start; j < end; j++) {
      const t = Math.fround(dy[j]! * y[j]!);
      dx[j] = t;
      sum += t;
    }
    const s = Math.fround(sum);
    for (let j = start; j < end; j++) dx[j] = dx[j]! - Math.fround(s * y[j]!);
  }
  return dx;
}

/** `Softmax` over the last axis for float32 logits; `fallback` (tfjs's own) runs the rest. */
export function softmaxKernel(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const info = inputOf(args, 'logits');
    const backend = args.backend as CpuBackend;
    const x = float32Values(backend, info);
    const dim = attrOf(args.attrs, 'dim');
    const rank = info?.shape.length ?? 0;
    const columns = info?.shape[rank - 1] ?? 0;
    if (info === undefined || x === null || rank === 0 || columns === 0) return fallback(args);
    if (dim !== -1 && dim !== rank - 1) return fallback(args);
    const out = new Float32Array(x.length);
    softmaxRows(x, out, columns);
    return backend.makeTensorInfo([...info.shape], 'float32', out);
  };
}
