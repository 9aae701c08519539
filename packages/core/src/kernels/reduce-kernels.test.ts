import { afterAll, describe, expect, it } from 'vitest';
import { RngStream } from '../rng.js';
import { callKernel, expectSameTensor, noFallback, tfjsKernel } from '../testing/kernel-compare.js';
import { type Tensor, tf } from '../tf.js';
import { meanKernel, sumKernel } from './reduce-kernels.js';
import { useKernels } from './register.js';

const rng = RngStream.fromSeed(8, 'reduce-kernels');

afterAll(() => {
  useKernels('auto');
});

function floats(shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  // Values of very different magnitudes make the summation order visible in the bits.
  const v = Float32Array.from({ length: size }, () => rng.normal() * 10 ** rng.int(7));
  return tf.tensor(v, shape, 'float32');
}

const CASES: Array<[number[], unknown, boolean]> = [
  [[128, 128], 0, false],
  [[128, 10], [0], true],
  [[128, 10], -1, false],
  [[128, 10], [1], true],
  [[128], null, false],
  [[4, 5, 6], [1, 2], false],
  [[4, 5, 6], [0, 1], true],
  [[4, 5, 6], 1, false],
  [[4, 5, 6], null, true],
  [[4, 5, 6], [], false],
  [[], null, false],
  [[3, 0], 1, false],
];

describe.each([
  ['Sum', sumKernel],
  ['Mean', meanKernel],
] as const)('%s', (name, make) => {
  const original = tfjsKernel(name);
  const fast = make(noFallback);

  it.each(CASES)(
    "shape %j, axis %j, keepDims %s: tfjs-backend-cpu's bits",
    (shape, axis, keepDims) => {
      const x = floats(shape);
      const attrs = { axis: axis as number[], keepDims };
      const theirs = callKernel(original, { x }, attrs);
      if (shape.includes(0)) {
        // An empty reduction is left to tfjs.
        expect(() => callKernel(fast, { x }, attrs)).toThrow(/fell back/);
      } else {
        const ours = callKernel(fast, { x }, attrs);
        expectSameTensor(ours, theirs, `${name} ${JSON.stringify([shape, axis, keepDims])}`);
        ours.dispose();
      }
      tf.dispose([x, theirs]);
    },
  );

  it('leaves non-contiguous axes and int32 data to tfjs', () => {
    const x = floats([3, 4, 5]);
    const i = tf.tensor([1, 2, 3], [3], 'int32');
    expect(() => callKernel(fast, { x }, { axis: [0, 2], keepDims: false })).toThrow(/fell back/);
    expect(() => callKernel(fast, { x: i }, { axis: 0, keepDims: false })).toThrow(/fell back/);
    // The registered kernel hands them over and gets tfjs's answers.
    const viaOps = name === 'Sum' ? tf.sum(i) : tf.mean(i);
    expect(Array.from(viaOps.dataSync())).toEqual([name === 'Sum' ? 6 : 2]);
    tf.dispose([x, i, viaOps]);
  });

  it('column sums of a small matrix, by hand', () => {
    const x = tf.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const out = name === 'Sum' ? tf.sum(x, 0) : tf.mean(x, 0);
    expect(Array.from(out.dataSync())).toEqual(name === 'Sum' ? [5, 7, 9] : [2.5, 3.5, 4.5]);
    tf.dispose([x, out]);
  });
});
