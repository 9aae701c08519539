import { describe, expect, it } from 'vitest';
import { expectClose, GRADS, P0, runSteps } from '../testing/optimizer-checks.js';
import { RMSprop } from './rmsprop.js';
import { createSlots } from './slots.js';

interface RmsRefOptions {
  lr: number;
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}

/** Float64 reference from Keras 3's RMSprop update. */
function rmspropRef(o: RmsRefOptions) {
  const p = [...P0];
  const velocity = P0.map(() => 0);
  const average = P0.map(() => 0);
  const momentum = P0.map(() => 0);
  const history: number[][] = [];
  for (const g of GRADS) {
    for (let i = 0; i < p.length; i++) {
      velocity[i] = o.rho * velocity[i]! + (1 - o.rho) * g[i]! ** 2;
      let denominator = velocity[i]! + o.epsilon;
      if (o.centered) {
        average[i] = o.rho * average[i]! + (1 - o.rho) * g[i]!;
        denominator = velocity[i]! - average[i]! ** 2 + o.epsilon;
      }
      const increment = (o.lr * g[i]!) / Math.sqrt(denominator);
      if (o.momentum > 0) {
        momentum[i] = o.momentum * momentum[i]! + increment;
        p[i] = p[i]! - momentum[i]!;
      } else {
        p[i] = p[i]! - increment;
      }
    }
    history.push([...p]);
  }
  return { history, velocity, average, momentum };
}

describe('RMSprop', () => {
  it('defaults as Keras 3: lr 1e-3, ρ 0.9, no momentum, ε 1e-7, not centered', () => {
    const opt = new RMSprop();
    expect(opt.learningRate).toBe(0.001);
    expect([opt.rho, opt.momentum, opt.epsilon, opt.centered]).toEqual([0.9, 0, 1e-7, false]);
    expect(opt.slotNames).toEqual(['velocity']);
    expect(new RMSprop({ momentum: 0.5 }).slotNames).toEqual(['velocity', 'momentum']);
    expect(new RMSprop({ centered: true }).slotNames).toEqual(['velocity', 'averageGradient']);
    expect(new RMSprop({ momentum: 0.5, centered: true }).slotNames).toEqual([
      'velocity',
      'momentum',
      'averageGradient',
    ]);
  });

  it('first step by hand: lr·g / sqrt(0.1·g² + ε)', () => {
    const opt = new RMSprop({ learningRate: 0.01 });
    const params = Float32Array.from([1]);
    opt.applyUpdate({
      params,
      grads: Float32Array.from([2]),
      slots: createSlots(opt, 1),
      iteration: 1,
    });
    expectClose(params, [1 - (0.01 * 2) / Math.sqrt(0.4 + 1e-7)]);
  });

  const configs: RmsRefOptions[] = [
    { lr: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
    { lr: 0.01, rho: 0.8, momentum: 0.9, epsilon: 1e-7, centered: false },
    { lr: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-3, centered: true },
    { lr: 0.02, rho: 0.7, momentum: 0.5, epsilon: 1e-7, centered: true },
  ];
  for (const config of configs) {
    it(`3 steps match the float64 formula: ${JSON.stringify(config)}`, () => {
      const opt = new RMSprop({
        learningRate: config.lr,
        rho: config.rho,
        momentum: config.momentum,
        epsilon: config.epsilon,
        centered: config.centered,
      });
      const { history, slots } = runSteps(opt);
      const ref = rmspropRef(config);
      history.forEach((params, step) => {
        expectClose(params, ref.history[step]!);
      });
      const byName = Object.fromEntries(opt.slotNames.map((name, i) => [name, slots[i]!]));
      expectClose(byName['velocity']!, ref.velocity);
      if (config.momentum > 0) expectClose(byName['momentum']!, ref.momentum);
      if (config.centered) expectClose(byName['averageGradient']!, ref.average);
    });
  }

  it('validates its options', () => {
    expect(() => new RMSprop({ rho: 1 })).toThrow(
      'RMSprop: rho must be a number in [0, 1). Received: rho=1',
    );
    expect(() => new RMSprop({ momentum: 2 })).toThrow(
      'RMSprop: momentum must be a number in [0, 1]. Received: momentum=2',
    );
    expect(() => new RMSprop({ epsilon: -1 })).toThrow(/epsilon must be a positive finite number/);
    expect(() => new RMSprop({ centered: 0 as never })).toThrow(/centered must be a boolean/);
  });

  it('config round-trips', () => {
    const opt = new RMSprop({
      learningRate: 0.005,
      rho: 0.8,
      momentum: 0.3,
      epsilon: 1e-5,
      centered: true,
    });
    const config = JSON.parse(JSON.stringify(opt.getConfig()));
    expect(config).toEqual({
      learningRate: 0.005,
      weightDecay: null,
      rho: 0.8,
      momentum: 0.3,
      epsilon: 1e-5,
      centered: true,
    });
    expect(new RMSprop(config).getConfig()).toEqual(config);
  });
});
