import { describe, expect, it } from 'vitest';
import { expectClose, GRADS, P0, runSteps } from '../testing/optimizer-checks.js';
import { SGD } from './sgd.js';
import { createSlots } from './slots.js';

/** Float64 reference from the Keras SGD formula. */
function sgdRef(opts: { lr: number; momentum: number; nesterov: boolean; weightDecay?: number }) {
  const p = [...P0];
  const velocity = P0.map(() => 0);
  const history: number[][] = [];
  for (const g of GRADS) {
    for (let i = 0; i < p.length; i++) {
      if (opts.weightDecay) p[i] = p[i]! - p[i]! * opts.weightDecay * opts.lr;
      if (opts.momentum === 0) {
        p[i] = p[i]! - opts.lr * g[i]!;
      } else {
        velocity[i] = opts.momentum * velocity[i]! - opts.lr * g[i]!;
        p[i] = opts.nesterov
          ? p[i]! + opts.momentum * velocity[i]! - opts.lr * g[i]!
          : p[i]! + velocity[i]!;
      }
    }
    history.push([...p]);
  }
  return { history, velocity };
}

describe('SGD', () => {
  it('defaults as Keras 3: lr 0.01, no momentum, no slot', () => {
    const opt = new SGD();
    expect(opt.learningRate).toBe(0.01);
    expect(opt.momentum).toBe(0);
    expect(opt.nesterov).toBe(false);
    expect(opt.slotNames).toEqual([]);
    expect(opt.weightDecay).toBeNull();
  });

  it('one plain step by hand: w - lr·g', () => {
    const opt = new SGD({ learningRate: 0.1 });
    const params = Float32Array.from([0.5, -1]);
    opt.applyUpdate({ params, grads: Float32Array.from([0.1, -2]), slots: [], iteration: 1 });
    expectClose(params, [0.49, -0.8]);
  });

  for (const config of [
    { lr: 0.1, momentum: 0, nesterov: false },
    { lr: 0.05, momentum: 0.9, nesterov: false },
    { lr: 0.05, momentum: 0.9, nesterov: true },
    { lr: 0.2, momentum: 0.5, nesterov: false, weightDecay: 0.1 },
  ]) {
    it(`3 steps match the float64 formula: ${JSON.stringify(config)}`, () => {
      const opt = new SGD({
        learningRate: config.lr,
        momentum: config.momentum,
        nesterov: config.nesterov,
        weightDecay: config.weightDecay ?? null,
      });
      expect(opt.slotNames).toEqual(config.momentum > 0 ? ['momentum'] : []);
      const got = runSteps(opt);
      const ref = sgdRef(config);
      got.history.forEach((params, step) => {
        expectClose(params, ref.history[step]!);
      });
      if (config.momentum > 0) expectClose(got.slots[0]!, ref.velocity);
    });
  }

  it('momentum by hand over two steps', () => {
    // v1 = -0.1·1 = -0.1, w1 = 1 - 0.1 = 0.9; v2 = 0.9·(-0.1) - 0.1·1 = -0.19, w2 = 0.71.
    const opt = new SGD({ learningRate: 0.1, momentum: 0.9 });
    const params = Float32Array.from([1]);
    const slots = createSlots(opt, 1);
    const grads = Float32Array.from([1]);
    opt.applyUpdate({ params, grads, slots, iteration: 1 });
    expectClose(params, [0.9]);
    opt.applyUpdate({ params, grads, slots, iteration: 2 });
    expectClose(params, [0.71]);
    expectClose(slots[0]!, [-0.19]);
  });

  it('validates its options', () => {
    expect(() => new SGD({ momentum: 1.5 })).toThrow(
      'SGD: momentum must be a number in [0, 1]. Received: momentum=1.5',
    );
    expect(() => new SGD({ momentum: -0.1 })).toThrow(/momentum must be a number in \[0, 1\]/);
    expect(() => new SGD({ nesterov: 1 as never })).toThrow(
      'SGD: nesterov must be a boolean. Received: nesterov=1',
    );
    expect(() => new SGD({ learningRate: 0 })).toThrow(
      'SGD: learningRate must be a positive finite number or a LearningRateSchedule. Received: learningRate=0',
    );
  });

  it('config round-trips', () => {
    const opt = new SGD({ learningRate: 0.3, momentum: 0.8, nesterov: true, weightDecay: 0.01 });
    expect(opt.getConfig()).toEqual({
      learningRate: 0.3,
      weightDecay: 0.01,
      momentum: 0.8,
      nesterov: true,
    });
    expect(new SGD(opt.getConfig()).getConfig()).toEqual(opt.getConfig());
  });
});
