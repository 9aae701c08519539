import { afterAll, describe, expect, it } from 'vitest';
import { RngStream } from '../rng.js';
import {
  callKernel,
  expectSameAsTfjs,
  expectSameTensor,
  noFallback,
  sameBits,
  tfjsKernel,
} from '../testing/kernel-compare.js';
import { type Tensor, tf } from '../tf.js';
import { useKernels } from './register.js';
import { softmaxGradRows, softmaxKernel } from './softmax.js';

const rng = RngStream.fromSeed(13, 'softmax');

afterAll(() => {
  useKernels('auto');
});

function logits(shape: number[], scale: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal() * scale),
    shape,
    'float32',
  );
}

describe('Softmax kernel', () => {
  const original = tfjsKernel('Softmax');
  const fast = softmaxKernel(noFallback);

  it.each([
    [[128, 10], 1],
    [[128, 10], 40],
    [[3, 4, 7], 5],
    [[9], 2],
    [[5, 1], 3],
  ])("shape %j, logits ×%d: tfjs-backend-cpu's bits", (shape, scale) => {
    const x = logits(shape, scale);
    const ours = callKernel(fast, { logits: x }, { dim: -1 });
    const theirs = callKernel(original, { logits: x }, { dim: -1 });
    expectSameTensor(ours, theirs, `softmax ${JSON.stringify(shape)}`);
    tf.dispose([x, ours, theirs]);
  });

  it('a row with NaN or Infinity behaves as tfjs', () => {
    const x = tf.tensor([
      [1, Number.NaN, 2],
      [Number.POSITIVE_INFINITY, 0, 1],
      [-1e30, 0, 1e30],
    ]);
    const ours = callKernel(fast, { logits: x }, { dim: 1 });
    const theirs = callKernel(original, { logits: x }, { dim: 1 });
    expectSameTensor(ours, theirs, 'special rows');
    tf.dispose([x, ours, theirs]);
  });

  it('rows sum to one, by hand for [0, ln 3]', () => {
    const p = tf.softmax(tf.tensor([[0, Math.log(3)]]));
    const v = p.dataSync();
    expect(v[0]).toBeCloseTo(0.25, 6);
    expect(v[1]).toBeCloseTo(0.75, 6);
    p.dispose();
  });

  it("its gradient (tfjs's, on our fast binary and Sum kernels) keeps tfjs's bits", () => {
    const x = logits([16, 10], 3);
    const dy = logits([16, 10], 1);
    expectSameAsTfjs(() => tf.grad((t: Tensor) => tf.softmax(t))(x, dy), 'softmax gradient');
    tf.dispose([x, dy]);
  });

  it("softmaxGradRows computes the same bits as tfjs's softmax gradient", () => {
    const x = logits([32, 10], 2);
    const dy = logits([32, 10], 1);
    const y = tf.softmax(x);
    useKernels('tfjs');
    const expected = tf.grad((t: Tensor) => tf.softmax(t))(x, dy);
    useKernels('auto');
    const ours = softmaxGradRows(dy.dataSync() as Float32Array, y.dataSync() as Float32Array, 10);
    expect(sameBits(ours, expected.dataSync())).toBe(-1);
    tf.dispose([x, dy, y, expected]);
  });
});
