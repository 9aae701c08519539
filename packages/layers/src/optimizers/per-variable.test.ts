import { type Tensor, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, layers, sequential } from '../index.js';
import { optimizers } from './index.js';

beforeEach(() => {
  clearSession();
});

const VARIABLES = [
  { name: 'dense/kernel', start: 0, end: 2 },
  { name: 'dense/bias', start: 2, end: 3 },
];

describe('clipnorm and excludeFromWeightDecay (per variable, Keras semantics)', () => {
  it('clipnorm scales each variable by clipnorm / max(norm, clipnorm), whatever the slice', () => {
    // kernel grad [3, 4] has norm 5 → [0.6, 0.8]; bias grad [0.5] has norm 0.5 → unchanged.
    const expected = [1 - 0.1 * 0.6, 2 - 0.1 * 0.8, 3 - 0.1 * 0.5].map(Math.fround);
    const whole = Float32Array.of(1, 2, 3);
    const opt = optimizers.sgd({ learningRate: 0.1, clipnorm: 1 });
    const grads = Float32Array.of(3, 4, 0.5);
    opt.applyUpdate({ params: whole, grads, slots: [], iteration: 1, variables: VARIABLES });
    expect(Array.from(whole)).toEqual(expected);
    // Updated in two slices that cut the kernel: each slice still uses the kernel's full norm.
    const sliced = Float32Array.of(1, 2, 3);
    for (const [start, end] of [
      [0, 1],
      [1, 3],
    ] as const) {
      opt.applyUpdate({
        params: sliced,
        grads,
        slots: [],
        iteration: 1,
        start,
        end,
        variables: VARIABLES,
      });
    }
    expect(Array.from(sliced)).toEqual(expected);
  });

  it('clipnorm with variableNorms: a slice whose gradient holds only its own part clips by the whole norms', () => {
    const expected = [1 - 0.1 * 0.6, 2 - 0.1 * 0.8, 3 - 0.1 * 0.5].map(Math.fround);
    const params = Float32Array.of(1, 2, 3);
    const opt = optimizers.sgd({ learningRate: 0.1, clipnorm: 1 });
    // Each slice's gradient buffer holds only its own values (the rest is another worker's).
    for (const [start, end, grads] of [
      [0, 1, Float32Array.of(3, 0, 0)],
      [1, 3, Float32Array.of(0, 4, 0.5)],
    ] as const) {
      opt.applyUpdate({
        params,
        grads,
        slots: [],
        iteration: 1,
        start,
        end,
        variables: VARIABLES,
        variableNorms: [5, 0.5],
      });
    }
    expect(Array.from(params)).toEqual(expected);
    expect(() =>
      opt.applyUpdate({
        params,
        grads: Float32Array.of(3, 4, 0.5),
        slots: [],
        iteration: 1,
        variables: VARIABLES,
        variableNorms: [5],
      }),
    ).toThrow(
      'SGD.applyUpdate: variableNorms needs one norm per variable (2). Received: variableNorms.length=1',
    );
  });

  it('excludeFromWeightDecay skips variables whose name matches, the others decay by w·wd·lr', () => {
    const params = Float32Array.of(1, -2, 4);
    const opt = optimizers.sgd({
      learningRate: 0.5,
      weightDecay: 0.1,
      excludeFromWeightDecay: ['bias$'],
    });
    opt.applyUpdate({
      params,
      grads: Float32Array.of(0.2, 0, 1),
      slots: [],
      iteration: 1,
      variables: VARIABLES,
    });
    // kernel: w(1 - 0.05) - 0.5·g; bias: w - 0.5·g (no decay).
    const expected = [1 * 0.95 - 0.1, -2 * 0.95, 4 - 0.5];
    Array.from(params).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 6);
    });
  });

  it('model.fit: one SGD step moves each weight tensor by exactly lr·clipnorm when its gradient is larger', async () => {
    const m = sequential([
      layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }),
      layers.dense({ units: 1 }),
    ]);
    m.compile({ optimizer: optimizers.sgd({ learningRate: 0.5, clipnorm: 1e-3 }), loss: 'mse' });
    const x = [
      [1, 2],
      [3, -1],
      [0.5, 0.5],
    ];
    const y = [[10], [-7], [4]];
    const before = m.getWeights().map((t: Tensor) => Float64Array.from(t.dataSync()));
    await m.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0, seed: 1 });
    m.getWeights().forEach((t: Tensor, k: number) => {
      const after = Array.from(t.dataSync());
      const step = Math.sqrt(after.reduce((s, v, i) => s + (v - before[k]![i]!) ** 2, 0));
      expect(step).toBeCloseTo(0.5 * 1e-3, 7);
    });
  });

  it('round-trips both options and refuses Keras-forbidden combinations', () => {
    const adamw = optimizers.get({
      className: 'AdamW',
      config: { clipnorm: 2, excludeFromWeightDecay: ['bias', 'gamma'] },
    });
    const back = optimizers.deserialize(optimizers.serialize(adamw));
    expect(back.getConfig()).toMatchObject({
      clipnorm: 2,
      excludeFromWeightDecay: ['bias', 'gamma'],
    });
    expect(back.fusedRule).toBeNull();
    expect(() => optimizers.sgd({ clipnorm: 1, clipvalue: 1 })).toThrow(
      'SGD: only one of clipnorm, clipvalue and globalClipnorm can be set. Received: clipnorm=1, clipvalue=1, globalClipnorm=null',
    );
    expect(() => optimizers.adam({ clipnorm: 0 })).toThrow(
      'Adam: clipnorm must be a positive finite number. Received: clipnorm=0',
    );
    expect(() => optimizers.sgd({ excludeFromWeightDecay: ['('] })).toThrow(ValueError);
    const opt = optimizers.sgd({ clipnorm: 1 });
    expect(() =>
      opt.applyUpdate({
        params: new Float32Array(1),
        grads: new Float32Array(1),
        slots: [],
        iteration: 1,
      }),
    ).toThrow('SGD.applyUpdate: clipnorm and excludeFromWeightDecay need the variable layout');
  });
});
