/**
 * Test helpers for kernels that must reproduce tfjs-backend-cpu: run the same function
 * once on Tessera's kernels and once on tfjs's own, and compare values bit for bit.
 */
import { expect } from 'vitest';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '../../vendor/tfjs.js';
import { useKernels } from '../kernels/register.js';
import { type Tensor, tf } from '../tf.js';

/** What a run produced: values (copied), shape and dtype. */
export interface Produced {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: string;
}

function produce(f: () => Tensor): Produced {
  const t = f();
  try {
    return {
      values: (t.dataSync() as Produced['values']).slice(),
      shape: [...t.shape],
      dtype: t.dtype,
    };
  } finally {
    t.dispose();
  }
}

/** Runs `f` with every fast kernel ('auto') and with tfjs-backend-cpu's own ('tfjs'). */
export function onBothKernels(f: () => Tensor): { fast: Produced; tfjs: Produced } {
  try {
    useKernels('auto');
    const fast = produce(f);
    useKernels('tfjs');
    const tfjs = produce(f);
    return { fast, tfjs };
  } finally {
    useKernels('auto');
  }
}

/** Same bits (NaN equal to NaN, +0 different from -0). */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Expects `f` to give bitwise tfjs's result, shape and dtype on our kernels. */
export function expectSameAsTfjs(f: () => Tensor, label: string): Produced {
  const { fast, tfjs } = onBothKernels(f);
  expect(fast.shape, label).toEqual(tfjs.shape);
  expect(fast.dtype, label).toBe(tfjs.dtype);
  const at = sameBits(fast.values, tfjs.values);
  if (at >= 0) {
    throw new Error(
      `${label}: element ${at} differs: ${fast.values[at]} (ours) vs ${tfjs.values[at]} (tfjs)`,
    );
  }
  return fast;
}

/** Largest |a - b| / (atol + rtol·|b|) over the elements; ≤ 1 means within tolerance. */
export function toleranceRatio(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { rtol: number; atol: number },
): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const r = Math.abs(a[i]! - b[i]!) / (options.atol + options.rtol * Math.abs(b[i]!));
    if (Number.isNaN(r)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, r);
  }
  return a.length === b.length ? worst : Number.POSITIVE_INFINITY;
}

/** tfjs-backend-cpu's own kernel function of `name` (registered while in 'tfjs' mode). */
export function tfjsKernel(name: string): KernelFunc {
  try {
    useKernels('tfjs');
    const config = tf.getKernel(name, 'cpu');
    if (config === undefined) throw new Error(`no cpu kernel ${name}`);
    return config.kernelFunc;
  } finally {
    useKernels('auto');
  }
}

/** A kernel fallback that fails the test: the fast path must handle the call itself. */
export const noFallback: KernelFunc = () => {
  throw new Error('the fast path fell back to tfjs');
};

/** Calls a kernel function directly on the cpu backend and wraps its output as a tensor. */
export function callKernel(
  kernel: KernelFunc,
  inputs: Record<string, Tensor>,
  attrs: NamedAttrMap = {},
): Tensor {
  const out = kernel({ inputs, backend: tf.backend(), attrs }) as TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(out) as Tensor;
}

/** Expects two kernel outputs to hold the same shape, dtype and bits. */
export function expectSameTensor(ours: Tensor, theirs: Tensor, label: string): void {
  expect(ours.shape, label).toEqual(theirs.shape);
  expect(ours.dtype, label).toBe(theirs.dtype);
  const a = ours.dataSync() as Produced['values'];
  const b = theirs.dataSync() as Produced['values'];
  const at = sameBits(a, b);
  if (at >= 0)
    throw new Error(`${label}: element ${at} differs: ${a[at]} (ours) vs ${b[at]} (tfjs)`);
}
