import { ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  InverseTimeDecay,
  inverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  piecewiseConstantDecay,
  polynomialDecay,
} from './decay-schedules.js';
import { deserializeSchedule, serializeSchedule } from './schedules.js';
import { SGD } from './sgd.js';

describe('piecewiseConstantDecay', () => {
  it('holds values[i] up to and including boundaries[i]', () => {
    const s = piecewiseConstantDecay({
      boundaries: [100, 110, 120],
      values: [1, 0.1, 0.01, 0.001],
    });
    const at = [0, 100, 100.5, 105, 110, 111, 120, 121, 999].map((step) => s.at(step));
    expect(at).toEqual([1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001]);
  });

  it('checks its lists', () => {
    expect(() => piecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] })).toThrow(
      /values needs one rate more than boundaries \(3\)/,
    );
    expect(() => piecewiseConstantDecay({ boundaries: [2, 1], values: [1, 2, 3] })).toThrow(
      /boundaries must increase/,
    );
    expect(() => piecewiseConstantDecay({ boundaries: [1], values: [1, -2] })).toThrow(
      'Received: values[1]=-2',
    );
  });
});

describe('polynomialDecay', () => {
  /** The float64 formula, written out. */
  function reference(
    step: number,
    lr: number,
    d: number,
    end: number,
    power: number,
    cycle: boolean,
  ) {
    let s = step;
    let steps = d;
    if (cycle) steps = d * (step === 0 ? 1 : Math.ceil(step / d));
    else s = Math.min(step, d);
    return (lr - end) * (1 - s / steps) ** power + end;
  }

  it('linear, square-root and cycling decays match the formula', () => {
    for (const power of [1, 0.5, 2]) {
      for (const cycle of [false, true]) {
        const s = polynomialDecay({
          initialLearningRate: 0.05,
          decaySteps: 10,
          endLearningRate: 0.001,
          power,
          cycle,
        });
        for (const step of [0, 3, 5, 10, 15, 20, 27]) {
          expect(s.at(step)).toBeCloseTo(reference(step, 0.05, 10, 0.001, power, cycle), 12);
        }
      }
    }
    expect(polynomialDecay({ initialLearningRate: 1, decaySteps: 4 }).endLearningRate).toBe(1e-4);
    expect(() => polynomialDecay({ initialLearningRate: 1, decaySteps: 0 })).toThrow(
      'Received: decaySteps=0',
    );
  });
});

describe('inverseTimeDecay', () => {
  it('lr0 / (1 + rate · step / decaySteps), floored with staircase', () => {
    const s = inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 });
    const stairs = inverseTimeDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.96,
      staircase: true,
    });
    for (let i = 0; i <= 25; i++) {
      expect(s.at(i)).toBeCloseTo(0.1 / (1 + (i / 10) * 0.96), 12);
      expect(stairs.at(i)).toBeCloseTo(0.1 / (1 + 0.96 * Math.floor(i / 10)), 12);
    }
    expect(() =>
      inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: -1 }),
    ).toThrow(ValueError);
  });
});

describe('the three schedules as learning rates', () => {
  it('round-trip through JSON and drive an optimizer (update t uses at(t - 1))', () => {
    for (const s of [
      new PiecewiseConstantDecay({ boundaries: [1], values: [0.5, 0.25] }),
      new PolynomialDecay({ initialLearningRate: 0.5, decaySteps: 2, endLearningRate: 0.1 }),
      new InverseTimeDecay({ initialLearningRate: 0.5, decaySteps: 1, decayRate: 1 }),
    ]) {
      const back = deserializeSchedule(JSON.parse(JSON.stringify(serializeSchedule(s))));
      expect(back.getConfig()).toEqual(s.getConfig());
      const opt = new SGD({ learningRate: s });
      expect([1, 2, 3].map((t) => opt.learningRateAt(t))).toEqual([0, 1, 2].map((k) => s.at(k)));
    }
  });
});
