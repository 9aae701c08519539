import { afterAll, describe, expect, it } from 'vitest';
import { RngStream } from '../rng.js';
import {
  callKernel,
  expectSameAsTfjs,
  expectSameTensor,
  noFallback,
  tfjsKernel,
} from '../testing/kernel-compare.js';
import { type Tensor, tf } from '../tf.js';
import { BINARY_KERNEL_NAMES, BINARY_OPS, binaryKernel } from './binary-kernels.js';
import { useKernels } from './register.js';

const rng = RngStream.fromSeed(5, 'binary-kernels');

afterAll(() => {
  useKernels('auto');
});

/** Random float32 values; `special` mixes in NaN, ±Infinity, ±0 and repeated values. */
function floats(shape: number[], special = false): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = rng.fillUniform(new Float32Array(size), -3, 3);
  if (special) {
    const extras = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1, 1];
    for (let i = 0; i < size; i += 3) v[i] = extras[rng.int(extras.length)]!;
  }
  return tf.tensor(v, shape, 'float32');
}

function ints(shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Int32Array.from({ length: size }, () => rng.int(4) - 2),
    shape,
    'int32',
  );
}

const SHAPES: Array<[number[], number[]]> = [
  [
    [128, 10],
    [128, 10],
  ],
  [[128, 128], [128]],
  [
    [128, 10],
    [128, 1],
  ],
  [
    [128, 1],
    [128, 10],
  ],
  [[], [5, 4]],
  [[5, 4], []],
  [
    [2, 1, 4],
    [1, 3, 1],
  ],
  [
    [3, 1, 2, 5],
    [4, 1, 5],
  ],
  [[], []],
  [[0, 4], [4]],
];

describe.each(BINARY_KERNEL_NAMES)('%s', (name) => {
  const original = tfjsKernel(name);
  const fast = binaryKernel(name, noFallback);

  it.each(SHAPES)(
    "float32 %j with %j: the fast path gives tfjs-backend-cpu's bits",
    (aShape, bShape) => {
      const a = floats(aShape, true);
      const b = floats(bShape, true);
      const ours = callKernel(fast, { a, b });
      const theirs = callKernel(original, { a, b });
      expectSameTensor(ours, theirs, `${name} ${JSON.stringify([aShape, bShape])}`);
      tf.dispose([a, b, ours, theirs]);
    },
  );

  it('int32 inputs: the same as tfjs (fast for comparisons, tfjs for arithmetic)', () => {
    const a = ints([6, 5]);
    const b = ints([5]);
    if (BINARY_OPS[name].int32) {
      const ours = callKernel(fast, { a, b });
      expect(ours.dtype).toBe('bool');
      expectSameTensor(ours, callKernel(original, { a, b }), `${name} int32`);
    } else {
      expect(() => callKernel(fast, { a, b })).toThrow(/fell back/);
    }
    const out = expectSameAsTfjs(
      () => tf.engine().runKernel(name, { a, b }) as Tensor,
      `${name} int32`,
    );
    expect(out.dtype).toBe(BINARY_OPS[name].result === 'bool' ? 'bool' : 'int32');
    tf.dispose([a, b]);
  });

  it('is the registered cpu kernel and leaves no tensors behind', () => {
    const a = floats([4, 3]);
    const b = floats([3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) (tf.engine().runKernel(name, { a, b }) as Tensor).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expectSameAsTfjs(() => tf.engine().runKernel(name, { a, b }) as Tensor, name);
    tf.dispose([a, b]);
  });
});

describe('binary kernels through tf ops', () => {
  it('broadcast errors still come from tfjs', () => {
    const a = tf.ones([3, 4]);
    const b = tf.ones([5]);
    expect(() => tf.add(a, b)).toThrow(/broadcast/i);
    tf.dispose([a, b]);
  });

  it('tf.add, tf.div and tf.greaterEqual give the values written out by hand', () => {
    tf.tidy(() => {
      const x = tf.tensor([
        [1, 2],
        [3, 4],
      ]);
      expect(Array.from(tf.add(x, tf.tensor([10, 20])).dataSync())).toEqual([11, 22, 13, 24]);
      expect(Array.from(tf.div(x, tf.tensor([[1], [2]])).dataSync())).toEqual([1, 2, 1.5, 2]);
      const ge = tf.greaterEqual(x, 2);
      expect(ge.dtype).toBe('bool');
      expect(Array.from(ge.dataSync())).toEqual([0, 1, 1, 1]);
    });
  });
});
