import { NotFoundError, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { optimizers } from './index.js';
import { Optimizer, type UpdateArgs } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { ExponentialDecay } from './schedules.js';
import { SGD } from './sgd.js';

function bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Runs 3 updates from the same start; returns the final params. */
function trace(opt: Optimizer): Float32Array {
  const params = Float32Array.from([0.5, -1, 2, 0.25]);
  const slots = optimizers.createSlots(opt, 4);
  for (let t = 1; t <= 3; t++) {
    const grads = Float32Array.from([0.1 * t, -0.3, 0.7 / t, 1]);
    opt.applyUpdate({ params, grads, slots, iteration: t });
  }
  return params;
}

describe('optimizers.get', () => {
  const table: Array<[string[], abstract new (...args: never[]) => Optimizer, number]> = [
    [['sgd', 'SGD'], SGD, 0.01],
    [['adam', 'Adam', 'ADAM'], Adam, 0.001],
    [['adamw', 'AdamW'], AdamW, 0.001],
    [['rmsprop', 'RMSprop', 'RMSProp'], RMSprop, 0.001],
    [['adagrad', 'Adagrad'], Adagrad, 0.001],
  ];
  for (const [names, cls, lr] of table) {
    it(`${names.join(', ')} → ${cls.name} with the Keras default learning rate ${lr}`, () => {
      for (const name of names) {
        const opt = optimizers.get(name);
        expect(opt).toBeInstanceOf(cls);
        expect(opt.learningRate).toBe(lr);
      }
      expect(optimizers.get(names[0]!, { learningRate: 0.01 }).learningRate).toBe(0.01);
    });
  }

  it('an unknown name is a NotFoundError listing the known names', () => {
    expect(() => optimizers.get('ftrl')).toThrow(NotFoundError);
    expect(() => optimizers.get('ftrl')).toThrow(
      'Unknown optimizer "ftrl": expected one of SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion. Received: optimizer="ftrl"',
    );
  });

  it('an Optimizer is returned as is; overrides set its learning rate', () => {
    const opt = new Adam();
    expect(optimizers.get(opt)).toBe(opt);
    expect(optimizers.get(opt, { learningRate: 0.5 })).toBe(opt);
    expect(opt.learningRate).toBe(0.5);
  });

  it('a serialized optimizer is built, with overrides', () => {
    const opt = optimizers.get(
      { className: 'SGD', config: { momentum: 0.9 } },
      { learningRate: 0.2 },
    );
    expect(opt).toBeInstanceOf(SGD);
    expect(opt.getConfig()).toMatchObject({ learningRate: 0.2, momentum: 0.9 });
  });

  it('bad identifiers and overrides are ValueErrors', () => {
    expect(() => optimizers.get(3 as never)).toThrow(ValueError);
    expect(() => optimizers.get('adam', { learningRate: -0.1 })).toThrow(
      'Adam: learningRate must be a positive finite number or a LearningRateSchedule. Received: learningRate=-0.1',
    );
  });

  it('factories build each optimizer', () => {
    expect(optimizers.sgd({ momentum: 0.5 }).slotNames).toEqual(['momentum']);
    expect(optimizers.adam().className).toBe('Adam');
    expect(optimizers.adamw().className).toBe('AdamW');
    expect(optimizers.rmsprop().className).toBe('RMSprop');
    expect(optimizers.adagrad().className).toBe('Adagrad');
  });
});

describe('optimizers.serialize / deserialize', () => {
  const all: Array<() => Optimizer> = [
    () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    () => new Adam({ learningRate: 0.01, beta1: 0.8, amsgrad: true }),
    () => new AdamW({ learningRate: 0.01, weightDecay: 0.02 }),
    () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.2 }),
    () => new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.3 }),
    () =>
      new Adam({
        learningRate: optimizers.schedules.exponentialDecay({
          initialLearningRate: 0.05,
          decaySteps: 2,
          decayRate: 0.5,
          staircase: true,
        }),
      }),
    () =>
      new SGD({
        learningRate: optimizers.schedules.cosineDecay({
          initialLearningRate: 0.1,
          decaySteps: 3,
          alpha: 0.1,
        }),
        momentum: 0.5,
      }),
  ];
  for (const make of all) {
    const original = make();
    it(`${original.className} ${JSON.stringify(original.getConfig())} round-trips through JSON`, () => {
      const json = JSON.parse(JSON.stringify(optimizers.serialize(original)));
      expect(json.className).toBe(original.className);
      const copy = optimizers.deserialize(json);
      expect(copy.constructor).toBe(original.constructor);
      expect(copy.getConfig()).toEqual(original.getConfig());
      expect(copy.slotNames).toEqual(original.slotNames);
      expect(bytes(trace(copy))).toEqual(bytes(trace(make())));
    });
  }

  it('a schedule is serialized inside learningRate and comes back as a schedule', () => {
    const opt = new Adam({
      learningRate: optimizers.schedules.exponentialDecay({
        initialLearningRate: 0.1,
        decaySteps: 10,
        decayRate: 0.9,
      }),
    });
    const json = optimizers.serialize(opt);
    expect(json.config['learningRate']).toEqual({
      className: 'ExponentialDecay',
      config: { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, staircase: false },
    });
    const back = optimizers.deserialize(JSON.parse(JSON.stringify(json)));
    expect(back.learningRate).toBeInstanceOf(ExponentialDecay);
    expect(back.learningRateAt(11)).toBeCloseTo(0.1 * 0.9, 15);
  });

  it('deserialize accepts a plain name and rejects bad configs', () => {
    expect(optimizers.deserialize('rmsprop')).toBeInstanceOf(RMSprop);
    expect(() => optimizers.deserialize({ className: 'Adam', config: { beta_1: 0.9 } })).toThrow(
      /Adam: unknown argument.*Received: key="beta_1"/,
    );
    expect(() =>
      optimizers.deserialize({
        className: 'Adam',
        config: { learningRate: { className: 'Nope', config: {} } },
      }),
    ).toThrow(NotFoundError);
    expect(() => optimizers.serialize({} as never)).toThrow(/expected an Optimizer/);
  });
});

describe('custom optimizers', () => {
  /** Sign descent: w ← w - lr·sign(g). */
  class SignSGD extends Optimizer {
    readonly className = 'SignSGD';
    readonly slotNames: readonly string[] = [];
    constructor(config: { learningRate?: number } = {}) {
      super('SignSGD', config, 0.01);
    }
    applyUpdate(args: UpdateArgs): void {
      const { start, end, lr } = this.prepare(args);
      for (let i = start; i < end; i++)
        args.params[i] = args.params[i]! - lr * Math.sign(args.grads[i]!);
    }
  }

  it('register under a class name, then get / serialize / deserialize work', () => {
    optimizers.register('SignSGD', (c) => new SignSGD(c as { learningRate?: number }));
    const opt = optimizers.get('signsgd', { learningRate: 0.5 });
    expect(opt).toBeInstanceOf(SignSGD);
    const params = Float32Array.from([1, 1]);
    opt.applyUpdate({ params, grads: Float32Array.from([3, -0.1]), slots: [], iteration: 1 });
    expect(Array.from(params)).toEqual([0.5, 1.5]);
    const back = optimizers.deserialize(JSON.parse(JSON.stringify(optimizers.serialize(opt))));
    expect(back).toBeInstanceOf(SignSGD);
    expect(back.learningRate).toBe(0.5);
  });

  it('built-in names are reserved; arguments are validated', () => {
    expect(() => optimizers.register('adam', () => new SignSGD())).toThrow(
      'An optimizer with this name is already registered; pass { override: true } to replace it. Received: name="adam"',
    );
    expect(() => optimizers.register('X', 5 as never)).toThrow(/factory must be a function/);
  });
});
