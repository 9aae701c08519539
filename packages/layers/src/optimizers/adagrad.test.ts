import { describe, expect, it } from 'vitest';
import { expectClose, GRADS, P0, runSteps } from '../testing/optimizer-checks.js';
import { Adagrad } from './adagrad.js';
import { createSlots } from './slots.js';

/** Float64 reference from Keras 3's Adagrad: the accumulator starts at its initial value. */
function adagradRef(o: { lr: number; initial: number; epsilon: number }) {
  const p = [...P0];
  const accumulator = P0.map(() => o.initial);
  const history: number[][] = [];
  for (const g of GRADS) {
    for (let i = 0; i < p.length; i++) {
      accumulator[i] = accumulator[i]! + g[i]! * g[i]!;
      p[i] = p[i]! - (o.lr * g[i]!) / Math.sqrt(accumulator[i]! + o.epsilon);
    }
    history.push([...p]);
  }
  return { history, accumulator };
}

describe('Adagrad', () => {
  it('defaults as Keras 3: lr 1e-3, initial accumulator 0.1, ε 1e-7', () => {
    const opt = new Adagrad();
    expect(opt.learningRate).toBe(0.001);
    expect(opt.initialAccumulatorValue).toBe(0.1);
    expect(opt.epsilon).toBe(1e-7);
    expect(opt.slotNames).toEqual(['accumulator']);
  });

  it('first step by hand: lr·g / sqrt(0.1 + g² + ε)', () => {
    const opt = new Adagrad({ learningRate: 0.1 });
    const params = Float32Array.from([1]);
    opt.applyUpdate({
      params,
      grads: Float32Array.from([0.5]),
      slots: createSlots(opt, 1),
      iteration: 1,
    });
    expectClose(params, [1 - (0.1 * 0.5) / Math.sqrt(0.35 + 1e-7)]);
  });

  for (const config of [
    { lr: 0.1, initial: 0.1, epsilon: 1e-7 },
    { lr: 0.5, initial: 0, epsilon: 1e-7 },
    { lr: 0.05, initial: 2.5, epsilon: 1e-2 },
  ]) {
    it(`3 steps match the float64 formula: ${JSON.stringify(config)}`, () => {
      const opt = new Adagrad({
        learningRate: config.lr,
        initialAccumulatorValue: config.initial,
        epsilon: config.epsilon,
      });
      const { history, slots } = runSteps(opt);
      const ref = adagradRef(config);
      history.forEach((params, step) => {
        expectClose(params, ref.history[step]!);
      });
      // The slot holds the squared-gradient sum; the initial value is added when read, so
      // zero-filled memory is the initial state.
      expectClose(
        slots[0]!,
        ref.accumulator.map((a) => a - config.initial),
      );
    });
  }

  it('validates its options', () => {
    expect(() => new Adagrad({ initialAccumulatorValue: -0.1 })).toThrow(
      'Adagrad: initialAccumulatorValue must be a non-negative finite number. Received: initialAccumulatorValue=-0.1',
    );
    expect(() => new Adagrad({ epsilon: 0 })).toThrow(/epsilon must be a positive finite number/);
  });

  it('config round-trips', () => {
    const opt = new Adagrad({ learningRate: 0.2, initialAccumulatorValue: 0.5, epsilon: 1e-6 });
    const config = JSON.parse(JSON.stringify(opt.getConfig()));
    expect(config).toEqual({
      learningRate: 0.2,
      weightDecay: null,
      initialAccumulatorValue: 0.5,
      epsilon: 1e-6,
    });
    expect(new Adagrad(config).getConfig()).toEqual(config);
  });
});
