/**
 * Elementwise binary kernels for the cpu backend (Add, Sub, Multiply, RealDiv, Maximum,
 * Minimum, SquaredDifference and the comparisons) with fast loops for float32 data.
 *
 * tfjs-backend-cpu computes every broadcasting binary op by converting each output index
 * to coordinates and back, allocating arrays per element; a bias add or a row-wise
 * division then costs far more than the arithmetic. These kernels walk the broadcast
 * plan (broadcast.ts) with one tight loop per innermost run. Each element is computed by
 * the same JavaScript expression as tfjs's and stored in the same typed array, so results
 * are bitwise those of tfjs. Inputs the fast path does not cover (other dtypes, complex
 * numbers, shapes that do not broadcast) go to tfjs's own kernel, which also reports errors.
 */
import type { KernelFunc, TensorInfo } from '../../vendor/tfjs.js';
import { planBroadcast, type RowLoop, walkBroadcast } from './broadcast.js';
import { type CpuBackend, inputOf } from './cpu-backend.js';

type Row = RowLoop<Float32Array | Int32Array, Float32Array | Int32Array, Float32Array | Uint8Array>;

/** One fast binary kernel: its loop, the result dtype, and which input dtypes it takes. */
interface BinaryOp {
  row: Row;
  result: 'float32' | 'bool';
  /** Whether int32 inputs take the fast path too (comparisons: exact on integers). */
  int32: boolean;
}

// One explicit loop per op: V8 then compiles each with its own arithmetic inlined.
const add: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! + b[bi]!;
};
const sub: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! - b[bi]!;
};
const mul: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! * b[bi]!;
};
const div: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! / b[bi]!;
};
const maximum: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = Math.max(a[ai]!, b[bi]!);
};
const minimum: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = Math.min(a[ai]!, b[bi]!);
};
const squaredDifference: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) {
    const d = a[ai]! - b[bi]!;
    out[o + i] = d * d;
  }
};
const equal: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! === b[bi]! ? 1 : 0;
};
const notEqual: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! !== b[bi]! ? 1 : 0;
};
const greater: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! > b[bi]! ? 1 : 0;
};
const greaterEqual: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! >= b[bi]! ? 1 : 0;
};
const less: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! < b[bi]! ? 1 : 0;
};
const lessEqual: Row = (out, o, a, ai, as, b, bi, bs, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! <= b[bi]! ? 1 : 0;
};

const arithmetic = (row: Row): BinaryOp => ({ row, result: 'float32', int32: false });
const comparison = (row: Row): BinaryOp => ({ row, result: 'bool', int32: true });

/** The kernels replaced, by tfjs kernel name. */
export const BINARY_OPS = {
  Add: arithmetic(add),
  Sub: arithmetic(sub),
  Multiply: arithmetic(mul),
  RealDiv: arithmetic(div),
  Maximum: arithmetic(maximum),
  Minimum: arithmetic(minimum),
  SquaredDifference: arithmetic(squaredDifference),
  Equal: comparison(equal),
  NotEqual: comparison(notEqual),
  Greater: comparison(greater),
  GreaterEqual: comparison(greaterEqual),
  Less: comparison(less),
  LessEqual: comparison(lessEqual),
} as const satisfies Record<string, BinaryOp>;

/** Name of a kernel in {@link BINARY_OPS}. */
export type BinaryKernelName = keyof typeof BINARY_OPS;

/** Names of every kernel in {@link BINARY_OPS}. */
export const BINARY_KERNEL_NAMES = Object.keys(BINARY_OPS) as BinaryKernelName[];

function typedValues(backend: CpuBackend, info: TensorInfo): Float32Array | Int32Array | null {
  const values = backend.data.get(info.dataId).values;
  if (info.dtype === 'float32') return values instanceof Float32Array ? values : null;
  return values instanceof Int32Array ? values : null;
}

/** The kernel function of `name`; `fallback` (tfjs's own) runs what the fast path leaves. */
export function binaryKernel(name: BinaryKernelName, fallback: KernelFunc): KernelFunc {
  const op: BinaryOp = BINARY_OPS[name];
  return (args) => {
    const a = inputOf(args, 'a');
    const b = inputOf(args, 'b');
    const dtype = a?.dtype;
    if (
      a === undefined ||
      b === undefined ||
      dtype !== b.dtype ||
      !(dtype === 'float32' || (op.int32 && dtype === 'int32'))
    ) {
      return fallback(args);
    }
    const backend = args.backend as CpuBackend;
    const plan = planBroadcast(a.shape, b.shape);
    const aValues = typedValues(backend, a);
    const bValues = typedValues(backend, b);
    if (plan === null || aValues === null || bValues === null) return fallback(args);
    const out = op.result === 'bool' ? new Uint8Array(plan.size) : new Float32Array(plan.size);
    walkBroadcast(plan, op.row, out, aValues, bValues);
    return backend.makeTensorInfo(plan.outShape, op.result, out);
  };
}
