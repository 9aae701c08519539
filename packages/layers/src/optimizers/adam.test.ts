import { describe, expect, it } from 'vitest';
import { expectClose, P0, runSteps } from '../testing/optimizer-checks.js';
import { Adam, AdamW } from './adam.js';
import { createSlots } from './slots.js';

// Gradients shrink on the third step so AMSGrad's running max differs from v.
const ADAM_GRADS = [
  [0.1, -0.4, 1.5, 0.0, -2.0],
  [0.3, 0.2, -1.0, 0.5, -0.1],
  [-0.02, -0.06, 0.08, 0.05, 0.01],
];

interface AdamRefOptions {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  amsgrad: boolean;
  weightDecay: number;
}

/**
 * Float64 reference from Keras 3's Adam: m = β1·m + (1-β1)·g, v = β2·v + (1-β2)·g²,
 * w -= lr·sqrt(1-β2^t)/(1-β1^t) · m / (sqrt(v̂ or v) + ε); weight decay w -= w·wd·lr first.
 */
function adamRef(o: AdamRefOptions) {
  const p = [...P0];
  const m = P0.map(() => 0);
  const v = P0.map(() => 0);
  const vhat = P0.map(() => 0);
  const history: number[][] = [];
  ADAM_GRADS.forEach((g, index) => {
    const t = index + 1;
    const alpha = (o.lr * Math.sqrt(1 - o.beta2 ** t)) / (1 - o.beta1 ** t);
    for (let i = 0; i < p.length; i++) {
      p[i] = p[i]! - p[i]! * o.weightDecay * o.lr;
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! * g[i]!;
      vhat[i] = Math.max(vhat[i]!, v[i]!);
      const denominator = Math.sqrt(o.amsgrad ? vhat[i]! : v[i]!) + o.epsilon;
      p[i] = p[i]! - (alpha * m[i]!) / denominator;
    }
    history.push([...p]);
  });
  return { history, m, v, vhat };
}

describe('Adam', () => {
  it('defaults as Keras 3: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7, slots m and v', () => {
    const opt = new Adam();
    expect(opt.className).toBe('Adam');
    expect(opt.learningRate).toBe(0.001);
    expect([opt.beta1, opt.beta2, opt.epsilon, opt.amsgrad]).toEqual([0.9, 0.999, 1e-7, false]);
    expect(opt.slotNames).toEqual(['m', 'v']);
    expect(new Adam({ amsgrad: true }).slotNames).toEqual(['m', 'v', 'vhat']);
  });

  it('first step by hand: the bias correction makes it lr·sign(g)', () => {
    // m = 0.1g, v = 0.001g², α = lr·sqrt(0.001)/0.1 → step = lr·g/(|g| + ε/sqrt(0.001)).
    const opt = new Adam({ learningRate: 0.01 });
    const params = Float32Array.from([1, 1]);
    opt.applyUpdate({
      params,
      grads: Float32Array.from([3, -0.5]),
      slots: createSlots(opt, 2),
      iteration: 1,
    });
    expectClose(params, [
      1 - 0.01 * (3 / (3 + 1e-7 / Math.sqrt(0.001))),
      1 + 0.01 * (0.5 / (0.5 + 1e-7 / Math.sqrt(0.001))),
    ]);
  });

  const configs: AdamRefOptions[] = [
    { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, weightDecay: 0 },
    { lr: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-3, amsgrad: false, weightDecay: 0 },
    { lr: 0.1, beta1: 0.9, beta2: 0.9, epsilon: 1e-7, amsgrad: true, weightDecay: 0 },
    { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, weightDecay: 0.05 },
  ];
  for (const config of configs) {
    it(`3 steps match the float64 formula: ${JSON.stringify(config)}`, () => {
      const opt = new Adam({
        learningRate: config.lr,
        beta1: config.beta1,
        beta2: config.beta2,
        epsilon: config.epsilon,
        amsgrad: config.amsgrad,
        weightDecay: config.weightDecay || null,
      });
      const got = runSteps(opt, ADAM_GRADS);
      const ref = adamRef(config);
      got.history.forEach((params, step) => {
        expectClose(params, ref.history[step]!);
      });
      expectClose(got.slots[0]!, ref.m);
      expectClose(got.slots[1]!, ref.v);
      if (config.amsgrad) {
        expectClose(got.slots[2]!, ref.vhat);
        // The shrinking third gradient makes v̂ differ from v: the test exercises the max.
        expect(ref.vhat.some((x, i) => x > ref.v[i]!)).toBe(true);
      }
    });
  }

  it('validates its options with the value received', () => {
    expect(() => new Adam({ beta1: 1 })).toThrow(
      'Adam: beta1 must be a number in [0, 1). Received: beta1=1',
    );
    expect(() => new Adam({ beta2: -0.1 })).toThrow(
      'Adam: beta2 must be a number in [0, 1). Received: beta2=-0.1',
    );
    expect(() => new Adam({ epsilon: 0 })).toThrow(
      'Adam: epsilon must be a positive finite number. Received: epsilon=0',
    );
    expect(() => new Adam({ amsgrad: 'no' as never })).toThrow(
      'Adam: amsgrad must be a boolean. Received: amsgrad="no"',
    );
    expect(() => new Adam({ learningRate: Number.NaN })).toThrow(
      /Adam: learningRate must be a positive finite number/,
    );
    expect(() => new Adam({ learningRate: Number.POSITIVE_INFINITY })).toThrow(
      /Received: learningRate=/,
    );
    expect(() => new Adam({ weightDecay: -1 })).toThrow(
      'Adam: weightDecay must be a non-negative finite number. Received: weightDecay=-1',
    );
    expect(() => new Adam({ learning_rate: 0.1 } as never)).toThrow(
      /Adam: unknown argument; expected one of learningRate, .*Received: key="learning_rate"/,
    );
  });

  it('config round-trips', () => {
    const opt = new Adam({
      learningRate: 0.02,
      beta1: 0.8,
      beta2: 0.95,
      epsilon: 1e-6,
      amsgrad: true,
    });
    const config = JSON.parse(JSON.stringify(opt.getConfig()));
    expect(config).toEqual({
      learningRate: 0.02,
      weightDecay: null,
      beta1: 0.8,
      beta2: 0.95,
      epsilon: 1e-6,
      amsgrad: true,
    });
    expect(new Adam(config).getConfig()).toEqual(config);
  });
});

describe('AdamW', () => {
  it('defaults as Keras 3: weight decay 0.004, lr 1e-3', () => {
    const opt = new AdamW();
    expect(opt.className).toBe('AdamW');
    expect(opt.weightDecay).toBe(0.004);
    expect(opt.learningRate).toBe(0.001);
    expect(opt.slotNames).toEqual(['m', 'v']);
  });

  it('3 steps match the float64 formula with decoupled decay', () => {
    const config = {
      lr: 0.1,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      weightDecay: 0.004,
    };
    const got = runSteps(new AdamW({ learningRate: 0.1 }), ADAM_GRADS);
    const ref = adamRef(config);
    got.history.forEach((params, step) => {
      expectClose(params, ref.history[step]!);
    });
  });

  it('with zero gradients only the decay moves the weights', () => {
    const opt = new AdamW({ learningRate: 0.5, weightDecay: 0.1 });
    const params = Float32Array.from([2, -4]);
    opt.applyUpdate({
      params,
      grads: new Float32Array(2),
      slots: createSlots(opt, 2),
      iteration: 1,
    });
    expectClose(params, [2 * (1 - 0.05), -4 * (1 - 0.05)]);
  });

  it('weightDecay must be a number', () => {
    expect(() => new AdamW({ weightDecay: null })).toThrow(
      'AdamW: weightDecay must be a non-negative finite number. Received: weightDecay=null',
    );
    expect(() => new AdamW({ beta1: 2 })).toThrow(/^AdamW: beta1/);
  });

  it('config round-trips', () => {
    const opt = new AdamW({ learningRate: 0.01, weightDecay: 0.02 });
    expect(new AdamW(opt.getConfig()).getConfig()).toEqual(opt.getConfig());
    expect(opt.getConfig()['weightDecay']).toBe(0.02);
  });
});
