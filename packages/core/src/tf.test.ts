import { describe, expect, it } from 'vitest';
import { checkGradients } from './gradient-check.js';
import type { Tensor } from './tf.js';
import { tf } from './tf.js';

/** Deterministic values away from 0 so kinked ops (relu, abs, max) are differentiable there. */
function values(shape: number[], seed: number, offset = 0): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const v = Math.sin(seed * 12.9898 + i * 78.233) * 1.7;
    out[i] = (Math.abs(v) < 0.15 ? v + Math.sign(v || 1) * 0.3 : v) + offset;
  }
  return tf.tensor(out, shape);
}

const cases: Array<[string, () => { f: (...xs: Tensor[]) => Tensor; inputs: Tensor[] }]> = [
  [
    'matMul',
    () => ({ f: (a, b) => tf.matMul(a!, b!), inputs: [values([3, 4], 1), values([4, 2], 2)] }),
  ],
  [
    'matMul transposeA',
    () => ({
      f: (a, b) => tf.matMul(a!, b!, true, false),
      inputs: [values([4, 3], 1), values([4, 2], 2)],
    }),
  ],
  [
    'matMul transposeB',
    () => ({
      f: (a, b) => tf.matMul(a!, b!, false, true),
      inputs: [values([3, 4], 1), values([2, 4], 2)],
    }),
  ],
  [
    'matMul both transposed',
    () => ({
      f: (a, b) => tf.matMul(a!, b!, true, true),
      inputs: [values([4, 3], 1), values([2, 4], 2)],
    }),
  ],
  [
    'fused matMul + bias + relu',
    () => ({
      f: (a, b, c) =>
        tf.fused.matMul({ a: a!, b: b!, bias: c!, activation: 'relu', transposeB: true }),
      inputs: [values([3, 4], 41), values([5, 4], 42), values([5], 43)],
    }),
  ],
  [
    'add broadcast',
    () => ({ f: (a, b) => tf.add(a!, b!), inputs: [values([3, 4], 3), values([4], 4)] }),
  ],
  [
    'sub broadcast',
    () => ({ f: (a, b) => tf.sub(a!, b!), inputs: [values([3, 1], 3), values([1, 4], 4)] }),
  ],
  [
    'mul broadcast',
    () => ({ f: (a, b) => tf.mul(a!, b!), inputs: [values([2, 3], 5), values([3], 6)] }),
  ],
  [
    'div broadcast',
    () => ({ f: (a, b) => tf.div(a!, b!), inputs: [values([2, 3], 5), values([3], 6, 3)] }),
  ],
  ['relu', () => ({ f: (a) => tf.relu(a!), inputs: [values([7], 7)] })],
  ['elu', () => ({ f: (a) => tf.elu(a!), inputs: [values([7], 8)] })],
  ['selu', () => ({ f: (a) => tf.selu(a!), inputs: [values([7], 9)] })],
  ['sigmoid', () => ({ f: (a) => tf.sigmoid(a!), inputs: [values([7], 10)] })],
  ['tanh', () => ({ f: (a) => tf.tanh(a!), inputs: [values([7], 11)] })],
  ['softplus', () => ({ f: (a) => tf.softplus(a!), inputs: [values([7], 12)] })],
  ['exp', () => ({ f: (a) => tf.exp(a!), inputs: [values([7], 13)] })],
  ['log', () => ({ f: (a) => tf.log(a!), inputs: [values([7], 14, 3)] })],
  ['sqrt', () => ({ f: (a) => tf.sqrt(a!), inputs: [values([7], 15, 3)] })],
  ['abs', () => ({ f: (a) => tf.abs(a!), inputs: [values([7], 16)] })],
  [
    'maximum',
    () => ({ f: (a, b) => tf.maximum(a!, b!), inputs: [values([6], 17), values([6], 18)] }),
  ],
  [
    'minimum',
    () => ({ f: (a, b) => tf.minimum(a!, b!), inputs: [values([6], 19), values([6], 20)] }),
  ],
  ['erf', () => ({ f: (a) => tf.erf(a!), inputs: [values([7], 21)] })],
  [
    'softmax',
    () => ({
      f: (a) => tf.mul(tf.softmax(a!), tf.tensor([1, 2, 3, 4])),
      inputs: [values([2, 4], 22)],
    }),
  ],
  [
    'logSoftmax',
    () => ({
      f: (a) => tf.mul(tf.logSoftmax(a!), tf.tensor([1, -2, 3, 0.5])),
      inputs: [values([2, 4], 23)],
    }),
  ],
  ['sum', () => ({ f: (a) => tf.square(tf.sum(a!, 1)), inputs: [values([3, 4], 24)] })],
  ['mean', () => ({ f: (a) => tf.square(tf.mean(a!, 0)), inputs: [values([3, 4], 25)] })],
  [
    'reshape',
    () => ({
      f: (a) => tf.mul(tf.reshape(a!, [2, 6]), values([2, 6], 99)),
      inputs: [values([3, 4], 26)],
    }),
  ],
  [
    'concat',
    () => ({
      f: (a, b) => tf.square(tf.concat([a!, b!], 1)),
      inputs: [values([2, 3], 27), values([2, 2], 28)],
    }),
  ],
  [
    'slice',
    () => ({ f: (a) => tf.square(tf.slice(a!, [1, 1], [2, 2])), inputs: [values([3, 4], 29)] }),
  ],
  [
    'gather',
    () => ({
      f: (a) => tf.square(tf.gather(a!, tf.tensor1d([2, 0, 2], 'int32'))),
      inputs: [values([3, 2], 30)],
    }),
  ],
  [
    'where',
    () => ({
      f: (a, b) => tf.square(tf.where(tf.tensor1d([1, 0, 1, 0], 'bool'), a!, b!)),
      inputs: [values([4], 31), values([4], 32)],
    }),
  ],
  [
    'clipByValue',
    () => ({
      f: (a) => tf.clipByValue(a!, -0.9, 0.9),
      inputs: [tf.tensor([-1.5, -0.5, 0.2, 0.6, 1.4])],
    }),
  ],
];

describe('tf from @tessera/core', () => {
  it('runs on the cpu backend right after import', () => {
    expect(tf.getBackend()).toBe('cpu');
  });

  it('has chained ops on tensors, as tfjs users expect', () => {
    const x = tf.tensor([1, 2, 3]);
    const y = x.mul(2).add(1).sum();
    expect(y.dataSync()[0]).toBe(15);
    tf.dispose([x, y]);
  });

  it.each(cases)('gradient of %s matches a central difference', (_name, make) => {
    const { f, inputs } = make();
    const report = checkGradients(f, inputs);
    expect(report.worst).toBeUndefined();
    expect(report.ok).toBe(true);
    // The analytic gradient must not be trivially zero everywhere.
    expect(report.analytic.some((g) => g.some((v) => Math.abs(v) > 1e-4))).toBe(true);
    for (const x of inputs) x.dispose();
  });

  it('registers the gradient of every kernel the checks use', () => {
    const kernels = [
      'BatchMatMul',
      'Add',
      'Sub',
      'Multiply',
      'RealDiv',
      'Relu',
      'Elu',
      'Selu',
      'Sigmoid',
      'Tanh',
      'Softplus',
      'Exp',
      'Log',
      'Sqrt',
      'Abs',
      'Maximum',
      'Minimum',
      'Erf',
      'Sum',
      'Mean',
      'Reshape',
      'Concat',
      'Slice',
      'GatherV2',
      'Select',
      'ClipByValue',
      'Max',
      'Square',
    ];
    const missing = kernels.filter((k) => tf.getGradient(k) === undefined);
    expect(missing).toEqual([]);
  });

  it('fails the check for a wrong gradient (the checker can fail)', () => {
    // d(x²)/dx is 2x; this custom gradient claims 3, so the check must fail.
    const wrong = tf.customGrad((...args) => {
      const x = args[0] as Tensor;
      return { value: tf.square(x), gradFunc: (dy: Tensor) => tf.mul(dy, 3) };
    });
    const x = tf.tensor([0.5, 1.5]);
    const report = checkGradients((a) => wrong(a!) as Tensor, [x]);
    expect(report.ok).toBe(false);
    expect(report.worst?.numeric).toBeCloseTo(1, 2);
    x.dispose();
  });

  it('leaks no tensors while checking gradients', () => {
    const x = values([3, 4], 40);
    const before = tf.memory().numTensors;
    checkGradients((a) => tf.relu(tf.matMul(a!, a!, false, true)), [x]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
