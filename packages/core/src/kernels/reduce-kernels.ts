/**
 * `Sum` and `Mean` kernels for the cpu backend with a fast path for float32 data reduced
 * over one contiguous block of axes (a bias gradient's column sums, a row sum, a mean
 * over everything).
 *
 * tfjs-backend-cpu first transposes the reduced axes to the end, copying the tensor with
 * per-element index arithmetic. Here the tensor is read in place as [outer, reduced,
 * inner]; every output still accumulates its inputs in float64 in the same order as
 * tfjs (the reduced elements in row-major order), and a mean divides each element by the
 * count in float32 first, as tfjs does, so results are bitwise those of tfjs. Other
 * dtypes and non-contiguous axis sets go to tfjs's own kernel.
 */
import type { KernelFunc } from '../../vendor/tfjs.js';
import { attrOf, type CpuBackend, float32Values, inputOf } from './cpu-backend.js';

/** The input viewed as [outer, reduce, inner] plus the result shape, or null when not covered. */
interface ReducePlan {
  outer: number;
  reduce: number;
  inner: number;
  outShape: number[];
}

/** Sorted, distinct, non-negative axes of `axis` (null/undefined: all), or null when invalid. */
function parseAxes(axis: unknown, rank: number): number[] | null {
  let list: unknown[];
  if (axis === null || axis === undefined) list = Array.from({ length: rank }, (_, i) => i);
  else if (Array.isArray(axis)) list = axis;
  else list = [axis];
  const axes: number[] = [];
  for (const a of list) {
    if (typeof a !== 'number' || !Number.isInteger(a) || a < -rank || a >= rank) return null;
    const positive = a < 0 ? a + rank : a;
    if (!axes.includes(positive)) axes.push(positive);
  }
  return axes.sort((x, y) => x - y);
}

function planReduce(shape: readonly number[], axis: unknown, keepDims: boolean): ReducePlan | null {
  const axes = parseAxes(axis, shape.length);
  if (axes === null) return null;
  const first = axes[0] ?? shape.length;
  const last = axes.at(-1) ?? shape.length - 1;
  if (axes.length > 0 && last - first + 1 !== axes.length) return null;
  let outer = 1;
  let reduce = 1;
  let inner = 1;
  const outShape: number[] = [];
  shape.forEach((d, i) => {
    if (i < first) outer *= d;
    else if (i > last) inner *= d;
    else reduce *= d;
    if (i < first || i > last) outShape.push(d);
    else if (keepDims) outShape.push(1);
  });
  return reduce === 0 ? null : { outer, reduce, inner, outShape };
}

/** Sums (or, with `mean`, averages) `x` as planned; float64 accumulators, tfjs's order. */
function reduceInto(x: Float32Array, p: ReducePlan, mean: boolean): Float32Array {
  const { outer, reduce, inner } = p;
  const out = new Float32Array(outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * reduce;
      let acc = 0;
      if (mean) for (let r = 0; r < reduce; r++) acc += Math.fround(x[base + r]! / reduce);
      else for (let r = 0; r < reduce; r++) acc += x[base + r]!;
      out[o] = acc;
    }
    return out;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0; r < reduce; r++) {
      const base = (o * reduce + r) * inner;
      if (mean) for (let i = 0; i < inner; i++) acc[i]! += Math.fround(x[base + i]! / reduce);
      else for (let i = 0; i < inner; i++) acc[i]! += x[base + i]!;
    }
    out.set(acc, o * inner);
  }
  return out;
}

function reduceKernel(mean: boolean, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const info = inputOf(args, 'x');
    const backend = args.backend as CpuBackend;
    const x = float32Values(backend, info);
    if (info === undefined || x === null) return fallback(args);
    const keepDims = attrOf(args.attrs, 'keepDims') === true;
    const plan = planReduce(info.shape, attrOf(args.attrs, 'axis'), keepDims);
    if (plan === null) return fallback(args);
    return backend.makeTensorInfo(plan.outShape, 'float32', reduceInto(x, plan, mean));
  };
}

/** `Sum` with the fast path; `fallback` is tfjs's own kernel. */
export function sumKernel(fallback: KernelFunc): KernelFunc {
  return reduceKernel(false, fallback);
}

/** `Mean` with the fast path; `fallback` is tfjs's own kernel. */
export function meanKernel(fallback: KernelFunc): KernelFunc {
  return reduceKernel(true, fallback);
}
