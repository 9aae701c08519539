import { NotFoundError, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  CosineDecay,
  cosineDecay,
  deserializeSchedule,
  ExponentialDecay,
  exponentialDecay,
  type LearningRateSchedule,
  registerSchedule,
  serializeSchedule,
} from './schedules.js';
import { SGD } from './sgd.js';

describe('exponentialDecay', () => {
  it('lr0 · rate^(step / decaySteps)', () => {
    const s = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    for (const step of [0, 1, 5, 10, 15, 37]) {
      expect(s.at(step)).toBeCloseTo(0.1 * 0.5 ** (step / 10), 15);
    }
    expect(s.at(0)).toBe(0.1);
    expect(s.at(10)).toBeCloseTo(0.05, 15);
  });

  it('staircase floors the exponent', () => {
    const s = exponentialDecay({
      initialLearningRate: 1,
      decaySteps: 4,
      decayRate: 0.1,
      staircase: true,
    });
    expect([0, 3, 4, 7, 8, 11].map((step) => s.at(step))).toEqual([
      1,
      1,
      0.1,
      0.1,
      0.1 ** 2,
      0.1 ** 2,
    ]);
  });

  it('validates its options', () => {
    expect(() =>
      exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }),
    ).toThrow(
      'ExponentialDecay: decaySteps must be a positive finite number. Received: decaySteps=0',
    );
    expect(() =>
      exponentialDecay({ initialLearningRate: -1, decaySteps: 1, decayRate: 0.5 }),
    ).toThrow(/initialLearningRate must be a non-negative finite number/);
    expect(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1 } as never)).toThrow(
      'ExponentialDecay: decayRate must be a positive finite number. Received: decayRate=undefined',
    );
    const s = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    expect(() => s.at(-1)).toThrow(ValueError);
  });
});

describe('cosineDecay', () => {
  it('lr0 · ((1 - α)·½(1 + cos(π·min(step, T)/T)) + α)', () => {
    const s = cosineDecay({ initialLearningRate: 0.2, decaySteps: 100, alpha: 0.1 });
    for (const step of [0, 1, 25, 50, 99, 100, 150]) {
      const t = Math.min(step, 100);
      const expected = 0.2 * (0.9 * 0.5 * (1 + Math.cos((Math.PI * t) / 100)) + 0.1);
      expect(s.at(step)).toBeCloseTo(expected, 15);
    }
    expect(s.at(0)).toBeCloseTo(0.2, 15);
    expect(s.at(50)).toBeCloseTo(0.2 * (0.45 + 0.1), 15);
    expect(s.at(1000)).toBeCloseTo(0.02, 15);
  });

  it('linear warmup to warmupTarget, then the decay from it', () => {
    const s = cosineDecay({
      initialLearningRate: 0,
      decaySteps: 10,
      warmupTarget: 0.1,
      warmupSteps: 5,
    });
    expect(s.at(0)).toBe(0);
    expect(s.at(2)).toBeCloseTo(0.04, 15);
    expect(s.at(5)).toBeCloseTo(0.1, 15);
    expect(s.at(10)).toBeCloseTo(0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.5)), 15);
    expect(s.at(15)).toBeCloseTo(0, 15);
    expect(s.at(40)).toBeCloseTo(0, 15);
  });

  it('validates its options', () => {
    expect(() => cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 2 })).toThrow(
      'CosineDecay: alpha must be a number in [0, 1]. Received: alpha=2',
    );
    expect(() => cosineDecay({ initialLearningRate: 0.1, decaySteps: -5 })).toThrow(
      /decaySteps must be a positive/,
    );
  });
});

describe('a schedule as the learning rate', () => {
  it('update number t uses schedule.at(t - 1), as Keras (rate of the first update = initial)', () => {
    const schedule = exponentialDecay({ initialLearningRate: 0.5, decaySteps: 1, decayRate: 0.5 });
    const opt = new SGD({ learningRate: schedule });
    expect(opt.learningRateAt(1)).toBe(0.5);
    expect(opt.learningRateAt(2)).toBe(0.25);
    const params = Float32Array.from([1]);
    const grads = Float32Array.from([1]);
    // Steps of 0.5, 0.25, 0.125.
    for (let t = 1; t <= 3; t++) opt.applyUpdate({ params, grads, slots: [], iteration: t });
    expect(params[0]).toBeCloseTo(1 - 0.875, 7);
  });

  it('a schedule that returns a bad value is reported', () => {
    const broken: LearningRateSchedule = {
      className: 'Broken',
      at: () => Number.NaN,
      getConfig: () => ({}),
    };
    const opt = new SGD({ learningRate: broken });
    expect(() => opt.learningRateAt(3)).toThrow(
      'SGD: the learning-rate schedule Broken gave NaN at step 2; expected a non-negative finite number',
    );
  });
});

describe('schedule serialization', () => {
  it('round-trips through JSON', () => {
    const all: LearningRateSchedule[] = [
      exponentialDecay({
        initialLearningRate: 0.1,
        decaySteps: 7,
        decayRate: 0.9,
        staircase: true,
      }),
      cosineDecay({ initialLearningRate: 0.05, decaySteps: 100, alpha: 0.2 }),
      cosineDecay({ initialLearningRate: 0, decaySteps: 50, warmupTarget: 0.1, warmupSteps: 10 }),
    ];
    for (const s of all) {
      const json = JSON.parse(JSON.stringify(serializeSchedule(s)));
      const copy = deserializeSchedule(json);
      expect(copy.constructor).toBe(s.constructor);
      expect(copy.getConfig()).toEqual(s.getConfig());
      for (const step of [0, 3, 17, 60]) expect(copy.at(step)).toBe(s.at(step));
    }
    expect(serializeSchedule(all[0]!)).toEqual({
      className: 'ExponentialDecay',
      config: { initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.9, staircase: true },
    });
  });

  it('unknown class names fail clearly; custom schedules can be registered', () => {
    expect(() => deserializeSchedule({ className: 'StepDecay', config: {} })).toThrow(
      NotFoundError,
    );
    expect(() => deserializeSchedule({ className: 'StepDecay', config: {} })).toThrow(
      'Unknown learning-rate schedule "StepDecay": expected one of ExponentialDecay, CosineDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay. Received: className="StepDecay"',
    );
    // The registries' one "did you mean".
    expect(() => deserializeSchedule({ className: 'CosineDecai', config: {} })).toThrow(
      /CosineDecay/,
    );
    class Constant implements LearningRateSchedule {
      readonly className = 'Constant';
      constructor(readonly value: number) {}
      at(): number {
        return this.value;
      }
      getConfig(): Record<string, unknown> {
        return { value: this.value };
      }
    }
    registerSchedule('Constant', (c) => new Constant(c['value'] as number));
    expect(deserializeSchedule({ className: 'Constant', config: { value: 0.3 } }).at(9)).toBe(0.3);
    // The registries' one override rule: a taken name needs { override: true }.
    const constant = (c: Record<string, unknown>) => new Constant(c['value'] as number);
    expect(() => registerSchedule('CosineDecay', constant)).toThrow(
      'A learning-rate schedule named "CosineDecay" is already registered; pass { override: true } to replace it',
    );
    registerSchedule('Constant', constant, { override: true });
    expect(deserializeSchedule({ className: 'Constant', config: { value: 0.5 } }).at(1)).toBe(0.5);
  });

  it('classes are exported under their names', () => {
    expect(
      new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 1 }).className,
    ).toBe('ExponentialDecay');
    expect(new CosineDecay({ initialLearningRate: 1, decaySteps: 1 }).className).toBe(
      'CosineDecay',
    );
  });
});
